//! The ini settings of the module cache: `wasm.cache_dir` (a directory for compiled modules
//! shared by every PHP process; empty: none) and `wasm.cache_size` (the bound of the
//! in-memory cache, which lives as long as the PHP process: a PHP-FPM worker compiles a
//! module once, not once a request). Read before each compile, so `ini_set` applies at once.

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};
use super::ini::{ini, quantity};
use std::path::PathBuf;

static INI: IniEntryDefs<3> = IniEntryDefs::new([
    IniEntryDef::new(c"wasm.cache_dir", c"", IniEntryPermission::All),
    IniEntryDef::new(c"wasm.cache_size", c"256M", IniEntryPermission::All),
    IniEntryDef::end(),
]);

pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
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
