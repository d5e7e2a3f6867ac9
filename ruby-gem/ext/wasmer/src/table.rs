//! `Wasmer::Table`: an exported table of references.

use crate::errors::{from_engine, index_error};
use crate::store::Shared;
use crate::memory::to_offset;
use crate::types;
use crate::convert;
use magnus::{gc::Marker, method, prelude::*, DataTypeFunctions, Error, RModule, Ruby, TypedData, Value};
use std::sync::Arc;

/// A WebAssembly table.
///
/// @example
///   table = instance.exports[:table]
///   table.size  # => 2
///   table[0]    # => Wasmer::Function or nil
#[derive(TypedData)]
#[magnus(class = "Wasmer::Table", mark, free_immediately, size)]
pub struct Table {
    shared: Arc<Shared>,
    table: engine::Table,
    name: String,
}

impl DataTypeFunctions for Table {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

impl Table {
    pub fn new(shared: Arc<Shared>, table: engine::Table, name: &str) -> Table {
        Table {
            shared,
            table,
            name: name.to_owned(),
        }
    }

    /// The number of elements.
    ///
    /// @return [Integer]
    fn size(ruby: &Ruby, rb_self: &Self) -> Result<u32, Error> {
        rb_self.table.size().map_err(|e| from_engine(ruby, e))
    }

    /// The element at `index`.
    ///
    /// @param index [Integer]
    /// @return [Wasmer::Function, Object, nil]
    /// @raise [IndexError] if index is out of range
    fn aref(ruby: &Ruby, rb_self: &Self, index: Value) -> Result<Value, Error> {
        let i = to_offset(ruby, "index", index)?;
        let size = Table::size(ruby, rb_self)?;
        let val = match u32::try_from(i) {
            Ok(i) => rb_self.table.get(i).map_err(|e| from_engine(ruby, e))?,
            Err(_) => None,
        };
        let val = val.ok_or_else(|| {
            index_error(ruby, format!("index {i} outside of the table (size {size})"))
        })?;
        Ok(convert::to_ruby(ruby, &rb_self.shared, &val))
    }

    /// The type.
    ///
    /// @return [Wasmer::TableType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::extern_type(ruby, &engine::ExternType::Table(rb_self.table.ty().map_err(|e| from_engine(ruby, e))?))
    }

    /// @return [String]
    fn inspect(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        let ty = rb_self.table.ty().map_err(|e| from_engine(ruby, e))?;
        Ok(format!("#<Wasmer::Table {} {ty}>", rb_self.name))
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Table", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("size", method!(Table::size, 0))?;
    class.define_method("length", method!(Table::size, 0))?;
    class.define_method("[]", method!(Table::aref, 1))?;
    class.define_method("type", method!(Table::r#type, 0))?;
    class.define_method("inspect", method!(Table::inspect, 0))?;
    Ok(())
}
