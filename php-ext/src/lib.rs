//! The PHP extension `wasm`: WebAssembly modules compiled to native code by the `engine`
//! crate, used from PHP as `Wasm\Instance`, `Wasm\Module`, `Wasm\Memory` and `Wasm\GlobalVariable`,
//! with exceptions in `Wasm\Exception\`. See `wasm.stub.php` for the API.
//!
//! One file per class (`instance.rs`, `module.rs`, `memory.rs`, `global_variable.rs`,
//! `exception/`), and beside them, with the same names as in the Ruby gem for the same jobs:
//! `store.rs` (the store shared by an instance and the objects taken from it), `imports.rs`
//! (linking the imports array, host functions calling PHP), `convert.rs` (PHP values ↔ wasm
//! values, by the shared rules of `engine::embed`), `errors.rs` (exceptions), `helpers/`
//! (Zend engine symbols and PHP's time limit).

#![cfg_attr(windows, feature(abi_vectorcall))]

mod caller;
mod convert;
mod errors;
mod exception;
mod func;
mod global_variable;
mod helpers;
mod host_function;
mod imports;
#[allow(non_snake_case)] // PHP parameter names: `$pathOrBytes`.
mod instance;
mod memory;
#[allow(non_snake_case)]
mod module;
mod store;
mod table;
#[allow(non_snake_case)]
mod wasi;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// MINIT, before the classes of the macros are registered.
fn startup(_ty: i32, module_number: i32) -> i32 {
    helpers::cache::register(module_number);
    if let Err(e) = exception::register_all() {
        ext_php_rs::error::php_error(
            &ext_php_rs::flags::ErrorType::CoreWarning,
            &format!("wasm: cannot register the exception classes: {e}"),
        );
        return -1;
    }
    instance::install_handlers();
    helpers::debug_info::install::<instance::Instance>();
    helpers::debug_info::install::<module::Module>();
    helpers::debug_info::install::<memory::Memory>();
    helpers::debug_info::install::<global_variable::GlobalVariable>();
    helpers::debug_info::install::<func::Func>();
    helpers::debug_info::install::<table::Table>();
    helpers::running::install_timeout_hook();
    0
}

unsafe extern "C" fn shutdown(_ty: i32, _module_number: i32) -> i32 {
    helpers::running::remove_timeout_hook();
    helpers::safepoints::remove_dispatch_hook();
    0
}

/// RINIT.
unsafe extern "C" fn request_startup(_ty: i32, _module_number: i32) -> i32 {
    helpers::safepoints::install_dispatch_hook();
    0
}

/// RSHUTDOWN: after the script's destructors, before its objects are freed.
unsafe extern "C" fn request_shutdown(_ty: i32, _module_number: i32) -> i32 {
    store::release_externs();
    0
}

unsafe extern "C" fn info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("wasm support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("engine", "Cranelift JIT, WebAssembly 2.0 with SIMD, WASI preview 1");
    let stats = engine::embed::cache::stats();
    info_table_row!("wasm.cache_dir", helpers::ini::ini(c"wasm.cache_dir"));
    info_table_row!("wasm.cache_size", helpers::ini::ini(c"wasm.cache_size"));
    info_table_row!(
        "modules compiled / from memory / from disk",
        format!("{} / {} / {}", stats.compiled, stats.memory_hits, stats.disk_hits)
    );
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
        .class::<wasi::Wasi>()
        .class::<caller::Caller>()
        .class::<func::Func>()
        .class::<table::Table>()
        .class::<host_function::HostFunction>()
        .shutdown_function(shutdown)
        .request_startup_function(request_startup)
        .request_shutdown_function(request_shutdown)
        .info_function(info)
}
