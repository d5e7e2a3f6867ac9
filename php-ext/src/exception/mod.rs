//! The exception classes of the extension, `Wasm\Exception\*`, one file each, and helpers to
//! make exception objects of any class.
//!
//! They are plain PHP classes (no Rust state) registered with `ClassBuilder`, so that they
//! behave exactly like exceptions written in PHP: file, line and trace are filled in by
//! `\Exception`'s own constructor, they serialize, and PHP code may extend them.

/// Defines `NAME`, `ce()` and `register()` for an exception class with no members of its own.
/// A macro, not a function, because ext-php-rs takes the registration callback as a plain
/// `fn`, which can reach its class's slot only as a static of its own.
macro_rules! plain_exception_class {
    ($name:literal extends $parent_ce:path, $parent_name:expr) => {
        pub const NAME: &str = $name;

        static CLASS: $crate::exception::ClassSlot = $crate::exception::ClassSlot::new();

        pub fn ce() -> &'static ext_php_rs::zend::ClassEntry {
            CLASS.get()
        }

        pub fn register() -> ext_php_rs::error::Result<()> {
            ext_php_rs::builders::ClassBuilder::new(NAME)
                .extends(($parent_ce, $parent_name))
                .registration(|ce, arg_info| {
                    CLASS.set(ce);
                    std::mem::forget(arg_info);
                })
                .register()
        }
    };
}

pub mod compile_error;
pub mod exit;
pub mod link_error;
pub mod trap;
pub mod wasm_exception;

use crate::helpers::zend_api;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::ZendObject;
use ext_php_rs::zend::ClassEntry;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Where a class registered at startup keeps its class entry.
pub struct ClassSlot(AtomicPtr<ClassEntry>);

impl ClassSlot {
    pub const fn new() -> Self {
        ClassSlot(AtomicPtr::new(ptr::null_mut()))
    }

    pub fn set(&self, ce: &'static mut ClassEntry) {
        self.0.store(ce, Ordering::Release);
    }

    pub fn get(&self) -> &'static ClassEntry {
        let ce = self.0.load(Ordering::Acquire);
        assert!(!ce.is_null(), "class used before the extension started");
        unsafe { &*ce }
    }
}

/// Registers every exception class, parents first. Runs in MINIT.
pub fn register_all() -> ext_php_rs::error::Result<()> {
    wasm_exception::register()?;
    compile_error::register()?;
    link_error::register()?;
    trap::register()?;
    exit::register()?;
    Ok(())
}

pub fn runtime_exception() -> &'static ClassEntry {
    unsafe { &*zend_api::spl_ce_RuntimeException }
}

pub fn out_of_bounds_exception() -> &'static ClassEntry {
    unsafe { &*zend_api::spl_ce_OutOfBoundsException }
}

pub fn bad_method_call_exception() -> &'static ClassEntry {
    unsafe { &*zend_api::spl_ce_BadMethodCallException }
}

/// A new exception object of class `ce` whose message is `message`; not thrown.
pub fn new_exception(ce: &'static ClassEntry, message: &str) -> ZBox<ZendObject> {
    let mut obj = ZendObject::new(ce);
    let scope = ptr::from_ref(ce).cast_mut();
    unsafe {
        zend_api::zend_update_property_stringl(
            scope,
            &mut *obj,
            c"message".as_ptr(),
            "message".len(),
            message.as_ptr().cast(),
            message.len(),
        );
    }
    obj
}
