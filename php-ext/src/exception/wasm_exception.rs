//! `Wasm\Exception\WasmException extends \RuntimeException`: the parent of every exception
//! the extension throws for wasm reasons, and what it throws for misuse that has no more
//! precise class (growing a memory past its maximum, setting an immutable global, ...).

use super::ClassSlot;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::zend::ClassEntry;

pub const NAME: &str = "Wasm\\Exception\\WasmException";

static CLASS: ClassSlot = ClassSlot::new();

pub fn ce() -> &'static ClassEntry {
    CLASS.get()
}

pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(NAME)
        .extends((super::runtime_exception, "\\RuntimeException"))
        .registration(|ce, arg_info| {
            CLASS.set(ce);
            std::mem::forget(arg_info);
        })
        .register()
}
