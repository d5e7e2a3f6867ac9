//! `Wasmer::Table`: an exported table of references.

use crate::errors::index_error;
use crate::instance::Shared;
use crate::memory::to_offset;
use crate::types;
use crate::values;
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
        self.shared.mark_instance(marker);
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
    fn size(&self) -> u32 {
        self.table.size()
    }

    /// The element at `index`.
    ///
    /// @param index [Integer]
    /// @return [Wasmer::Function, Object, nil]
    /// @raise [IndexError] if index is out of range
    fn aref(ruby: &Ruby, rb_self: &Self, index: Value) -> Result<Value, Error> {
        let i = to_offset(ruby, "index", index)?;
        let val = u32::try_from(i).ok().and_then(|i| rb_self.table.get(i)).ok_or_else(|| {
            index_error(
                ruby,
                format!("index {i} outside of the table (size {})", rb_self.table.size()),
            )
        })?;
        Ok(values::to_ruby(ruby, &rb_self.shared, &val))
    }

    /// The type.
    ///
    /// @return [Wasmer::TableType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::extern_type(ruby, &engine::ExternType::Table(rb_self.table.ty()))
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Table {} {}>", self.name, self.table.ty())
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
