//! The native part of the Ruby gem `wasmer`: one file per Ruby class, the way
//! wasmtime-rb lays out its `ruby_api`.
//!
//! | file             | Ruby class                                            |
//! |------------------|-------------------------------------------------------|
//! | `errors.rs`      | `Wasmer::Error`, `CompileError`, `LinkError`, `Trap`  |
//! | `module.rs`      | `Wasmer::Module`                                      |
//! | `instance.rs`    | `Wasmer::Instance` (and the host functions it links)  |
//! | `exports.rs`     | `Wasmer::Exports`                                     |
//! | `function.rs`    | `Wasmer::Function`                                    |
//! | `memory.rs`      | `Wasmer::Memory`                                      |
//! | `memory_view.rs` | `Wasmer::MemoryView` and its typed subclasses         |
//! | `global.rs`      | `Wasmer::Global`                                      |
//! | `table.rs`       | `Wasmer::Table`                                       |
//!
//! `values.rs` converts between Ruby objects and wasm values; `types.rs` builds the
//! `Wasmer::*Type` structs (defined in Ruby, lib/wasmer/types.rb).
//!
//! Rules every file follows:
//! - Ruby is only ever called under `rb_protect` (magnus's `funcall`, `Proc#call`...), so
//!   a Ruby exception, `throw` or `break` never longjmps over JIT or Rust frames; what was
//!   caught travels out of the wasm call as an `engine::Error::Host` and is resumed by the
//!   method magnus wraps around us, after every Rust value in scope has been dropped.
//! - Ruby values kept in Rust structs are marked by the object that owns them.

use magnus::{value::Lazy, Error, RModule, Ruby};

mod errors;
mod exports;
mod function;
mod global;
mod instance;
mod memory;
mod memory_view;
mod module;
mod table;
mod types;
mod values;

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
    Ok(())
}

/// The `T` wrapped by `v`, or None if `v` is not a `T` (of exactly that data type). Unlike
/// magnus's conversion this does not go through `rb_protect`: it is for hot paths.
#[inline]
pub(crate) fn typed_ref<'a, T: magnus::TypedData>(v: magnus::Value) -> Option<&'a T> {
    use magnus::rb_sys::AsRawValue;
    use rb_sys::{ruby_value_type::RUBY_T_DATA, RB_TYPE_P, RTYPEDDATA_GET_DATA, RTYPEDDATA_P, RTYPEDDATA_TYPE};
    let raw = v.as_raw();
    // `DataType` is a transparent wrapper of `rb_data_type_t`.
    let want = T::data_type() as *const magnus::DataType as *const rb_sys::rb_data_type_t;
    unsafe {
        if rb_sys::SPECIAL_CONST_P(raw)
            || !RB_TYPE_P(raw, RUBY_T_DATA)
            || !RTYPEDDATA_P(raw)
            || RTYPEDDATA_TYPE(raw) != want
        {
            return None;
        }
        (RTYPEDDATA_GET_DATA(raw) as *const T).as_ref()
    }
}
