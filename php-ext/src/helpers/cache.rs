//! The ini settings of the module cache: `wasm.cache_dir` (a directory for compiled modules
//! shared by every PHP process; empty: none) and `wasm.cache_size` (the bound of the
//! in-memory cache, which lives as long as the PHP process: a PHP-FPM worker compiles a
//! module once, not once a request). Read before each compile, so `ini_set` applies at once.

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};
use std::ffi::CStr;
use std::path::PathBuf;

static INI: IniEntryDefs<3> = IniEntryDefs::new([
    IniEntryDef::new(c"wasm.cache_dir", c"", IniEntryPermission::All),
    IniEntryDef::new(c"wasm.cache_size", c"256M", IniEntryPermission::All),
    IniEntryDef::end(),
]);

pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

extern "C" {
    fn zend_ini_string(name: *const std::os::raw::c_char, name_length: usize, orig: i32) -> *mut std::os::raw::c_char;
}

/// The current value of the ini setting `name`.
pub fn ini(name: &CStr) -> String {
    // SAFETY: `name` is a registered setting; PHP returns its value (a NUL-terminated string
    // it owns for the request) or null.
    let value = unsafe { zend_ini_string(name.as_ptr(), name.count_bytes(), 0) };
    if value.is_null() {
        return String::new();
    }
    // SAFETY: as above, a valid C string.
    unsafe { CStr::from_ptr(value) }.to_string_lossy().into_owned()
}

/// `256M`, `1G`, `65536`: a size in bytes, as PHP writes quantities.
fn quantity(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_lowercase()),
        _ => (text, ' '),
    };
    let n: usize = digits.trim().parse().ok()?;
    n.checked_mul(match unit {
        ' ' => 1,
        'k' => 1 << 10,
        'm' => 1 << 20,
        'g' => 1 << 30,
        _ => return None,
    })
}

/// Applies the ini settings to the engine's cache.
pub fn configure() {
    let dir = ini(c"wasm.cache_dir");
    let dir = (!dir.trim().is_empty()).then(|| PathBuf::from(dir.trim()));
    if engine::embed::cache::cache_dir() != dir {
        engine::embed::cache::set_cache_dir(dir);
    }
    let size = quantity(&ini(c"wasm.cache_size")).unwrap_or(engine::embed::cache::DEFAULT_MEMORY_LIMIT);
    engine::embed::cache::set_memory_limit(size);
}
