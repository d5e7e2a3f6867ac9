//! `Wasm\Exception\Exit extends WasmException`: a WASI program called `proc_exit(n)` during
//! an export call (`Wasm\Wasi::run` returns the status instead). `getStatus()` is `n`, also
//! the exception's code.

use super::ClassSlot;
use crate::helpers::zend_api;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::ffi::zend_read_property;
use ext_php_rs::flags::{DataType, MethodFlags};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecuteData};
use std::ptr;

pub const NAME: &str = "Wasm\\Exception\\Exit";

static CLASS: ClassSlot = ClassSlot::new();

pub fn ce() -> &'static ClassEntry {
    CLASS.get()
}

pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(NAME)
        .extends((super::wasm_exception::ce, super::wasm_exception::NAME))
        .method(
            FunctionBuilder::new("getStatus", get_status).returns(DataType::Long, false, false),
            MethodFlags::Public,
        )
        .registration(|ce, arg_info| {
            CLASS.set(ce);
            std::mem::forget(arg_info);
        })
        .register()
}

/// An Exit object for status `status`, not thrown.
pub fn new(status: i32) -> ZBox<ZendObject> {
    let mut obj = super::new_exception(ce(), &engine::Error::Exit(status).to_string());
    // SAFETY: `obj` is a live object of this class, whose parent `\Exception` declares `code`.
    unsafe {
        zend_api::zend_update_property_long(
            ptr::from_ref(ce()).cast_mut(),
            &mut *obj,
            c"code".as_ptr(),
            "code".len(),
            status as i64,
        );
    }
    obj
}

extern "C" fn get_status(ex: &mut ExecuteData, rv: &mut Zval) {
    let Some(this) = ex.get_self() else { return };
    let mut tmp = Zval::new();
    // SAFETY: `this` is a live object of this class; `code` is declared by `\Exception`.
    let value = unsafe {
        zend_read_property(ptr::from_ref(ce()).cast_mut(), this, c"code".as_ptr(), "code".len(), true, &mut tmp)
    };
    // SAFETY: a property read returns a valid zval pointer or null.
    let code = unsafe { value.as_ref() }.and_then(|v| v.long()).unwrap_or(0);
    rv.set_long(code);
}
