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
    pub fn zend_declare_typed_property(
        ce: *mut zend_class_entry,
        name: *mut zend_string,
        property: *mut zval,
        access_type: c_int,
        doc_comment: *mut zend_string,
        ty: ext_php_rs::ffi::zend_type,
    ) -> *mut std::os::raw::c_void;
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

/// Declares on the class `ce`, at MINIT, the protected property `name` of type `?T`, where
/// `type_mask` is the `MAY_BE_*` bit of `T`, defaulting to null: what `php --re` shows and
/// what PHP checks on assignment.
pub fn declare_nullable_property(ce: &mut ext_php_rs::zend::ClassEntry, name: &str, type_mask: u32) {
    const MAY_BE_NULL: u32 = 1 << ext_php_rs::ffi::IS_NULL;
    const ZEND_ACC_PROTECTED: c_int = 1 << 1;
    let name = ext_php_rs::types::ZendStr::new(name, true);
    let mut default = ext_php_rs::types::Zval::new();
    default.set_null();
    let ty = ext_php_rs::ffi::zend_type { ptr: std::ptr::null_mut(), type_mask: type_mask | MAY_BE_NULL };
    // SAFETY: at MINIT, on a class being registered; the engine interns its own copy of the
    // persistent name (released when `name` drops) and copies the null default.
    unsafe {
        zend_declare_typed_property(
            ce,
            std::ptr::from_ref(&*name).cast_mut().cast(),
            &mut default,
            ZEND_ACC_PROTECTED,
            std::ptr::null_mut(),
            ty,
        );
    }
}
