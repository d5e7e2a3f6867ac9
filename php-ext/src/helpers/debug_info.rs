//! What `var_dump` and `print_r` show of the extension's objects: the `get_debug_info` object
//! handler, which asks the object (an instance's exports, a memory's size, a global's value)
//! instead of listing properties the classes do not have.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{zend_array_dup, zend_object, zend_object_handlers, zend_std_get_properties, HashTable};
use ext_php_rs::types::{ZendClassObject, ZendHashTable};
use std::os::raw::c_int;
use std::ptr;

/// A class whose objects describe themselves to `var_dump`.
pub trait DebugInfo: RegisteredClass {
    fn debug_info(&self) -> ZBox<ZendHashTable>;
}

/// MINIT: makes `T`'s objects answer `var_dump` with [`DebugInfo::debug_info`].
pub fn install<T: DebugInfo>() {
    let handlers: *mut zend_object_handlers = ptr::from_ref(T::get_metadata().handlers()).cast_mut();
    // SAFETY: at MINIT, before any object of the class exists; the handlers are the class's
    // own, which ext-php-rs keeps for the life of the process.
    unsafe { (*handlers).get_debug_info = Some(get_debug_info::<T>) };
}

/// # Safety
/// Called by the engine with a live object whose handlers are `T`'s.
unsafe extern "C" fn get_debug_info<T: DebugInfo>(obj: *mut zend_object, is_temp: *mut c_int) -> *mut HashTable {
    // SAFETY: the engine passes a live object and a flag to set; `T`'s handlers mean the
    // object is a `ZendClassObject<T>`.
    unsafe {
        *is_temp = 1;
        // A subclass's own properties first, as the standard handler would show them.
        let table = zend_array_dup(zend_std_get_properties(obj));
        let object = ZendClassObject::<T>::from_zend_obj(&*obj);
        // Made without its constructor (ReflectionClass::newInstanceWithoutConstructor): no more.
        if let Some(this) = object.and_then(|o| o.obj.as_ref()) {
            let table = &mut *table.cast::<ZendHashTable>();
            for (key, value) in this.debug_info().iter() {
                let _ = table.insert(key.to_string().as_str(), value.shallow_clone());
            }
        }
        table
    }
}
