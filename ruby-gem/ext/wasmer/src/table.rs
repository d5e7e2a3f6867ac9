//! `Wasmer::Table`: a table of references, exported by an instance or made to import.

use crate::errors::{argument_error, from_engine, index_error};
use crate::store::Shared;
use crate::memory::to_offset;
use crate::types;
use crate::convert;
use engine::embed::convert::Mismatch;
use engine::embed::messages::Place;
use magnus::scan_args::{get_kwargs, scan_args};
use magnus::{
    function, gc::Marker, method, prelude::*, typed_data::Obj, DataTypeFunctions, Error, RHash, RModule, Ruby, Symbol,
    TypedData, Value,
};
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
    pub(crate) shared: Arc<Shared>,
    pub(crate) table: engine::Table,
    name: String,
}

impl DataTypeFunctions for Table {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

impl Table {
    /// A new table, in a store of its own, to give as an import: instances importing it are
    /// made in its store.
    ///
    /// @param min [Integer] the initial number of elements (nil)
    /// @param max [Integer, nil] the most elements it may grow to
    /// @param type [Symbol] :funcref or :externref
    /// @return [Wasmer::Table]
    /// @raise [ArgumentError] if a size is not between 0 and 2**32 - 1, max < min, or the
    ///   type is neither
    fn make(ruby: &Ruby, args: &[Value]) -> Result<Obj<Table>, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        let kwargs = get_kwargs::<_, (Value,), (Option<Value>, Option<Value>), ()>(args.keywords, &["min"], &["max", "type"])?;
        let (min,) = kwargs.required;
        let (max, ty) = kwargs.optional;
        let size = |v: Value, what: &str| -> Result<u32, Error> {
            crate::convert::integer_in(v, 0, u32::MAX as i128).map(|n| n as u32).map_err(|_| {
                argument_error(ruby, format!("Wasmer::Table.new: {what}: must be an Integer from 0 to {}, got {}", u32::MAX, v.inspect()))
            })
        };
        let minimum = size(min, "min")?;
        let maximum = max.filter(|v| !v.is_nil()).map(|v| size(v, "max")).transpose()?;
        if maximum.is_some_and(|m| m < minimum) {
            return Err(argument_error(ruby, "Wasmer::Table.new: max: must not be less than min:"));
        }
        let named = |t: Value| Symbol::from_value(t).and_then(|s| s.name().ok().and_then(|n| engine::ValType::from_name(&n)));
        let element = match ty.map(named) {
            None => engine::ValType::FuncRef,
            Some(Some(t)) if t.is_ref() => t,
            _ => {
                let given = ty.map_or_else(String::new, |t| t.inspect());
                return Err(argument_error(ruby, format!("Wasmer::Table.new: type: must be :funcref or :externref, got {given}")));
            }
        };
        let store = crate::store::new_store();
        let ty = engine::TableType { element, minimum, maximum };
        let table = engine::Table::new(&store, ty, engine::Val::default_for(element)).map_err(|e| from_engine(ruby, e))?;
        crate::store::made_alone(ruby, &store, |shared| Ok(Table::new(shared, table, "table")))
    }

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
        let i = rb_self.index(ruby, "[]", index)?;
        let val = rb_self.table.get(i).map_err(|e| from_engine(ruby, e))?;
        // An index inside the table has an element.
        let val = val.unwrap_or(engine::Val::FuncRef(None));
        Ok(convert::to_ruby(ruby, &rb_self.shared, &val))
    }

    /// Sets the element at `index`.
    ///
    /// @param index [Integer]
    /// @param value [Wasmer::Function, Object, nil] a Function of the same store or nil for a
    ///   funcref table; any object or nil for an externref table
    /// @return [Wasmer::Function, Object, nil] value
    /// @raise [IndexError] if index is out of range
    /// @raise [TypeError] if value is not of the table's element type
    /// @raise [ArgumentError] if value is a function of another store
    fn aset(ruby: &Ruby, rb_self: &Self, index: Value, value: Value) -> Result<Value, Error> {
        let i = rb_self.index(ruby, "[]=", index)?;
        let val = rb_self.element(ruby, "[]=", value)?;
        rb_self.table.set(i, val).map_err(|e| from_engine(ruby, e))?;
        Ok(value)
    }

    /// Adds `delta` elements set to `init`.
    ///
    /// @param delta [Integer]
    /// @param init [Wasmer::Function, Object, nil]
    /// @return [Integer] the previous size
    /// @raise [Wasmer::Error] past the table's maximum
    fn grow(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<u32, Error> {
        let args = magnus::scan_args::scan_args::<(Value,), (Option<Value>,), (), (), (), ()>(args)?;
        let (delta,) = args.required;
        let (init,) = args.optional;
        let delta = u32::try_from(to_offset(ruby, "delta", delta)?)
            .map_err(|_| crate::errors::argument_error(ruby, "Wasmer::Table#grow: delta must be below 2**32"))?;
        let init = rb_self.element(ruby, "grow", init.unwrap_or_else(|| ruby.qnil().as_value()))?;
        rb_self.table.grow(delta, init).map_err(|e| from_engine(ruby, e))
    }

    /// `index`, argument of `method`, if inside the table.
    fn index(&self, ruby: &Ruby, method: &str, index: Value) -> Result<u32, Error> {
        let size = self.table.size().map_err(|e| from_engine(ruby, e))?;
        let outside = |i: &dyn std::fmt::Display| {
            let why = engine::embed::messages::outside_table(i, size);
            index_error(ruby, format!("Wasmer::Table#{method}(): {why}"))
        };
        match crate::convert::integer_in(index, i128::MIN, i128::MAX) {
            Ok(i) if (0..size as i128).contains(&i) => Ok(i as u32),
            Ok(i) => Err(outside(&i)),
            Err(Mismatch::Range) => Err(outside(&index.inspect())),
            Err(_) => Err(crate::errors::type_error(
                ruby,
                format!("Wasmer::Table#{method}(): index must be an Integer, got {}", unsafe { index.classname() }),
            )),
        }
    }

    /// `value` as an element of this table.
    fn element(&self, ruby: &Ruby, method: &str, value: Value) -> Result<engine::Val, Error> {
        let ty = self.table.ty().map_err(|e| from_engine(ruby, e))?.element;
        let what = format!("Wasmer::Table#{method}");
        convert::to_val_at(ruby, &self.shared, Place::Argument { function: &what, position: 2 }, value, ty)
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
    class.define_singleton_method("new", function!(Table::make, -1))?;
    class.define_method("size", method!(Table::size, 0))?;
    class.define_method("length", method!(Table::size, 0))?;
    class.define_method("[]", method!(Table::aref, 1))?;
    class.define_method("[]=", method!(Table::aset, 2))?;
    class.define_method("grow", method!(Table::grow, -1))?;
    class.define_method("type", method!(Table::r#type, 0))?;
    class.define_method("inspect", method!(Table::inspect, 0))?;
    Ok(())
}
