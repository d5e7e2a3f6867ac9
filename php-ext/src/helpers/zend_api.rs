//! The few Zend engine symbols the extension uses that ext-php-rs does not bind, and small
//! helpers over raw engine structures. All of them are exported by every PHP 8.x binary.

#![allow(non_upper_case_globals)]

use ext_php_rs::ffi::{zend_class_entry, zend_function, zend_object, zend_string, zval, HashTable};
use std::os::raw::{c_char, c_int};

extern "C" {
    pub fn zend_std_get_method(
        obj_ptr: *mut *mut zend_object,
        method_name: *mut zend_string,
        key: *const zval,
    ) -> *mut zend_function;
    pub fn zend_throw_exception_internal(exception: *mut zend_object);
    pub fn zend_update_property_stringl(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: *const c_char,
        value_length: usize,
    );
    pub fn zend_update_property(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: *mut zval,
    );
    pub fn zend_update_property_long(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: i64,
    );
    /// Raises PHP's "Maximum execution time exceeded" fatal error; does not return.
    pub fn zend_timeout() -> !;
    pub fn zend_atomic_bool_load(obj: *const ext_php_rs::ffi::zend_atomic_bool) -> bool;
    pub static mut spl_ce_RuntimeException: *mut zend_class_entry;
    pub static mut spl_ce_OutOfBoundsException: *mut zend_class_entry;
    pub static mut spl_ce_BadMethodCallException: *mut zend_class_entry;
    /// Called by the engine's timer signal handler when `max_execution_time` runs out.
    pub static mut zend_on_timeout: Option<unsafe extern "C" fn(seconds: c_int)>;
}

pub type GetGcFn = unsafe extern "C" fn(*mut zend_object, *mut *mut zval, *mut c_int) -> *mut HashTable;


/// `ZSTR_IS_INTERNED`.
///
/// # Safety
/// `s` must be a live zend_string.
#[inline]
pub unsafe fn zend_string_is_interned(s: *const zend_string) -> bool {
    const GC_IMMUTABLE: u32 = 1 << 6;
    (*s).gc.u.type_info & GC_IMMUTABLE != 0
}

/// The bytes of a zend_string.
///
/// # Safety
/// `s` must be a live zend_string that outlives the slice.
pub unsafe fn zend_string_bytes<'a>(s: *const zend_string) -> &'a [u8] {
    std::slice::from_raw_parts((*s).val.as_ptr().cast::<u8>(), (*s).len)
}


extern "C" {
    pub fn zend_get_gc_buffer_create() -> *mut ext_php_rs::ffi::zend_get_gc_buffer;
    pub fn zend_get_gc_buffer_grow(buffer: *mut ext_php_rs::ffi::zend_get_gc_buffer);
}
