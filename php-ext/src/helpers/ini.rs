//! Reading PHP's ini settings, ours and PHP's own.

use std::ffi::CStr;

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

/// `256M`, `1G`, `65536`: a size in bytes, as PHP writes quantities (`-1`, "no limit", is
/// `None`).
pub fn quantity(text: &str) -> Option<usize> {
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
