//! `Wasm\Exception\CompileError extends WasmException`: the bytes are not a module the
//! engine can run (invalid, empty, truncated, or using an unsupported feature).

use super::ClassSlot;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::zend::ClassEntry;

pub const NAME: &str = "Wasm\\Exception\\CompileError";

static CLASS: ClassSlot = ClassSlot::new();

pub fn ce() -> &'static ClassEntry {
    CLASS.get()
}

pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(NAME)
        .extends((super::wasm_exception::ce, super::wasm_exception::NAME))
        .registration(|ce, arg_info| {
            CLASS.set(ce);
            std::mem::forget(arg_info);
        })
        .register()
}
