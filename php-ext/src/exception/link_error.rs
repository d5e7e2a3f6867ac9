//! `Wasm\Exception\LinkError extends WasmException`: an import is missing or unusable. The
//! message names the import as `module`.`field`.

use super::ClassSlot;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::zend::ClassEntry;

pub const NAME: &str = "Wasm\\Exception\\LinkError";

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
