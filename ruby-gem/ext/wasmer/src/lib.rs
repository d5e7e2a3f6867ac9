//! The native part of the Ruby gem `wasmer`: one file per Ruby class, the way
//! wasmtime-rb lays out its `ruby_api`.
//!
//! | file             | Ruby class                                            |
//! |------------------|-------------------------------------------------------|
//! | `errors.rs`      | `Wasmer::Error` and its subclasses (`Trap`, `Exit`...) |
//! | `module.rs`      | `Wasmer::Module`                                      |
//! | `instance.rs`    | `Wasmer::Instance`                                    |
//! | `exports.rs`     | `Wasmer::Exports`                                     |
//! | `function.rs`    | `Wasmer::Function`                                    |
//! | `memory.rs`      | `Wasmer::Memory`                                      |
//! | `memory_view.rs` | `Wasmer::MemoryView` and its typed subclasses         |
//! | `global.rs`      | `Wasmer::Global`                                      |
//! | `table.rs`       | `Wasmer::Table`                                       |
//! | `wasi.rs`        | `Wasmer::Wasi`                                        |
//! | `host_function.rs` | `Wasmer::HostFunction`                              |
//! | `caller.rs`      | `Wasmer::Caller`                                      |
//!
//! Beside the classes, with the same names as in the PHP extension for the same jobs:
//! `store.rs` (what an instance and the objects taken from it share), `imports.rs` (linking
//! the imports Hash, host functions calling Ruby), `convert.rs` (Ruby objects ↔ wasm values,
//! by the shared rules of `engine::embed`), `errors.rs` (exceptions), `helpers/` (Ruby C-API
//! shortcuts for hot paths); `types.rs` builds the `Wasmer::*Type` structs (defined in Ruby,
//! lib/wasmer/types.rb).
//!
//! Rules every file follows:
//! - Ruby is only ever called under `rb_protect` (magnus's `funcall`, `Proc#call`...), so
//!   a Ruby exception, `throw` or `break` never longjmps over JIT or Rust frames; what was
//!   caught travels out of the wasm call as an `engine::Error::Host` and is resumed by the
//!   method magnus wraps around us, after every Rust value in scope has been dropped.
//! - Ruby values kept in Rust structs are marked by the object that owns them.

use magnus::{value::Lazy, Error, RModule, Ruby};

mod caller;
mod convert;
mod errors;
mod exports;
mod function;
mod global;
mod helpers;
mod host_function;
mod imports;
mod instance;
mod memory;
mod memory_view;
mod module;
mod store;
mod table;
mod types;
mod wasi;


/// The `Wasmer` module.
pub(crate) static WASMER: Lazy<RModule> = Lazy::new(|ruby| ruby.define_module("Wasmer").unwrap());

pub(crate) fn root(ruby: &Ruby) -> RModule {
    ruby.get_inner(&WASMER)
}

#[magnus::init(name = "wasmer")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let wasmer = root(ruby);
    errors::init(ruby, wasmer)?;
    module::init(ruby, wasmer)?;
    instance::init(ruby, wasmer)?;
    exports::init(ruby, wasmer)?;
    function::init(ruby, wasmer)?;
    memory::init(ruby, wasmer)?;
    memory_view::init(ruby, wasmer)?;
    global::init(ruby, wasmer)?;
    table::init(ruby, wasmer)?;
    wasi::init(ruby, wasmer)?;
    caller::init(ruby, wasmer)?;
    host_function::init(ruby, wasmer)?;
    imports::init(ruby);
    helpers::fibers::init(ruby)?;
    helpers::hidden_class::<helpers::fibers::FiberHold>(ruby, wasmer, "FiberHold")?;
    helpers::hidden_class::<store::ExternTable>(ruby, wasmer, "Externs")?;
    // magnus finds the class of each wrapped type lazily: find them all now (see
    // errors::init for why).
    use magnus::TypedData;
    caller::Caller::class(ruby);
    exports::Exports::class(ruby);
    host_function::HostFunction::class(ruby);
    function::Function::class(ruby);
    global::Global::class(ruby);
    instance::Instance::class(ruby);
    memory::Memory::class(ruby);
    memory_view::MemoryView::class(ruby);
    module::Module::class(ruby);
    table::Table::class(ruby);
    wasi::Wasi::class(ruby);
    Ok(())
}
