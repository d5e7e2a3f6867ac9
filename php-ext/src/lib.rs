//! The PHP extension `wasm`: WebAssembly modules compiled to native code by the `engine`
//! crate, used from PHP as `Wasm\Instance`, `Wasm\Module`, `Wasm\Memory` and `Wasm\GlobalVariable`,
//! with exceptions in `Wasm\Exception\`. See `wasm.stub.php` for the API.

#![cfg_attr(windows, feature(abi_vectorcall))]

mod convert;
mod errors;
mod exception;
mod global_variable;
mod imports;
#[allow(non_snake_case)] // PHP parameter names: `$pathOrBytes`.
mod instance;
mod memory;
#[allow(non_snake_case)]
mod module;
mod running;
mod zend_api;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// MINIT, before the classes of the macros are registered.
fn startup(_ty: i32, _module_number: i32) -> i32 {
    if let Err(e) = exception::register_all() {
        ext_php_rs::error::php_error(
            &ext_php_rs::flags::ErrorType::CoreWarning,
            &format!("wasm: cannot register the exception classes: {e}"),
        );
        return -1;
    }
    instance::install_handlers();
    running::install_timeout_hook();
    0
}

unsafe extern "C" fn shutdown(_ty: i32, _module_number: i32) -> i32 {
    running::remove_timeout_hook();
    0
}

unsafe extern "C" fn info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("wasm support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("engine", "Cranelift JIT, WebAssembly 2.0 (no SIMD)");
    info_table_end!();
}

#[php_module]
#[php(startup = startup)]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("wasm")
        .class::<module::Module>()
        .class::<instance::Instance>()
        .class::<memory::Memory>()
        .class::<global_variable::GlobalVariable>()
        .shutdown_function(shutdown)
        .info_function(info)
}
