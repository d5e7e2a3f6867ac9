//! `Wasm\Exception\Trap extends WasmException`: wasm code trapped. `getTrapCode()` gives the
//! stable snake_case code (`unreachable`, `memory_out_of_bounds`, `integer_divide_by_zero`,
//! `stack_overflow`, `interrupt`, ...) and `getFunctionName()` the wasm function it happened
//! in (from the name section where the module has one), which the message names too, and
//! `getWasmBacktrace()` the frames below it, which the message shows.

use super::ClassSlot;
use crate::helpers::zend_api;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::ffi::zend_read_property;
use ext_php_rs::flags::{DataType, MethodFlags};
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecuteData};
use std::ptr;

pub const NAME: &str = "Wasm\\Exception\\Trap";

static CLASS: ClassSlot = ClassSlot::new();

pub fn ce() -> &'static ClassEntry {
    CLASS.get()
}

pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(NAME)
        .extends((super::wasm_exception::ce, super::wasm_exception::NAME))
        .method(
            FunctionBuilder::new("getTrapCode", get_trap_code).returns(DataType::String, false, false),
            MethodFlags::Public,
        )
        .method(
            FunctionBuilder::new("getFunctionName", get_function_name)
                .returns(DataType::String, false, true),
            MethodFlags::Public,
        )
        .method(
            FunctionBuilder::new("getWasmBacktrace", get_wasm_backtrace).returns(DataType::Array, false, false),
            MethodFlags::Public,
        )
        .registration(|ce, arg_info| {
            use ext_php_rs::ffi::{IS_ARRAY, IS_STRING};
            zend_api::declare_nullable_property(ce, "trapCode", 1 << IS_STRING);
            zend_api::declare_nullable_property(ce, "functionName", 1 << IS_STRING);
            zend_api::declare_nullable_property(ce, "wasmBacktrace", 1 << IS_ARRAY);
            CLASS.set(ce);
            std::mem::forget(arg_info);
        })
        .register()
}

/// A Trap object for `trap`, not thrown.
pub fn new(trap: &engine::Trap) -> ZBox<ZendObject> {
    let mut obj = super::new_exception(ce(), &trap.to_string());
    set(&mut obj, "trapCode", trap.code.as_str());
    if let Some(function) = &trap.function {
        set(&mut obj, "functionName", function);
    }
    let mut frames = ZendHashTable::new();
    for frame in &trap.backtrace {
        let mut entry = ZendHashTable::new();
        let _ = entry.insert("function", frame.func_index.map(i64::from));
        let _ = entry.insert("name", frame.name.clone());
        let _ = entry.insert("offset", frame.module_offset.map(i64::from));
        let _ = frames.push(entry);
    }
    let mut value = Zval::new();
    value.set_hashtable(frames);
    // SAFETY: `obj` is a live Trap object; the engine copies the value (adding a reference).
    unsafe {
        zend_api::zend_update_property(
            ptr::from_ref(ce()).cast_mut(),
            &mut *obj,
            c"wasmBacktrace".as_ptr(),
            "wasmBacktrace".len(),
            &mut value,
        );
    }
    obj
}

fn set(obj: &mut ZendObject, name: &str, value: &str) {
    unsafe {
        zend_api::zend_update_property_stringl(
            ptr::from_ref(ce()).cast_mut(),
            obj,
            name.as_ptr().cast(),
            name.len(),
            value.as_ptr().cast(),
            value.len(),
        );
    }
}

fn read(ex: &mut ExecuteData, rv: &mut Zval, name: &str) {
    let Some(this) = ex.get_self() else { return };
    let mut tmp = Zval::new();
    let value = unsafe {
        zend_read_property(
            ptr::from_ref(ce()).cast_mut(),
            this,
            name.as_ptr().cast(),
            name.len(),
            true,
            &mut tmp,
        )
    };
    if let Some(value) = unsafe { value.as_ref() } {
        *rv = value.shallow_clone();
    }
}

extern "C" fn get_trap_code(ex: &mut ExecuteData, rv: &mut Zval) {
    read(ex, rv, "trapCode");
    if rv.is_null() {
        let _ = rv.set_string("", false);
    }
}

extern "C" fn get_function_name(ex: &mut ExecuteData, rv: &mut Zval) {
    read(ex, rv, "functionName");
}

extern "C" fn get_wasm_backtrace(ex: &mut ExecuteData, rv: &mut Zval) {
    read(ex, rv, "wasmBacktrace");
    if rv.is_null() {
        rv.set_hashtable(ZendHashTable::new());
    }
}
