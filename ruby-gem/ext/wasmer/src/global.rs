//! `Wasmer::Global`: an exported global.

use crate::errors::{from_engine, wasmer_error};
use crate::store::Shared;
use crate::types;
use crate::convert;
use engine::embed::messages::Place;
use magnus::{gc::Marker, method, prelude::*, DataTypeFunctions, Error, RModule, Ruby, TypedData, Value};
use std::sync::Arc;

/// A WebAssembly global.
///
/// @example
///   g = instance.exports[:counter]
///   g.value       # => 0
///   g.value = 42  # if g.mutable?
#[derive(TypedData)]
#[magnus(class = "Wasmer::Global", mark, free_immediately, size)]
pub struct Global {
    shared: Arc<Shared>,
    pub global: engine::Global,
    name: String,
}

impl DataTypeFunctions for Global {
    fn mark(&self, marker: &Marker) {
        self.shared.mark_instance(marker);
    }
}

/// The current value of `global` as a Ruby object.
pub fn value_of(ruby: &Ruby, global: &Global) -> Result<Value, Error> {
    let value = global.global.get().map_err(|e| from_engine(ruby, e))?;
    Ok(convert::to_ruby(ruby, &global.shared, &value))
}

impl Global {
    pub fn new(shared: Arc<Shared>, global: engine::Global, name: &str) -> Global {
        Global {
            shared,
            global,
            name: name.to_owned(),
        }
    }

    /// The current value.
    ///
    /// @return [Integer, Float, String, Wasmer::Function, Object, nil] a 16-byte String for v128
    fn value(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        value_of(ruby, rb_self)
    }

    /// Sets the value.
    ///
    /// @param value [Integer, Float, String] converted like a function argument
    /// @raise [Wasmer::Error] if the global is immutable
    /// @raise [TypeError] if the value is not of the global's type
    /// @raise [RangeError] if the Integer does not fit
    /// @raise [ArgumentError] if a String for a v128 is not 16 bytes long
    fn set_value(ruby: &Ruby, rb_self: &Self, value: Value) -> Result<Value, Error> {
        let ty = rb_self.global.ty();
        if !ty.mutable {
            return Err(wasmer_error(
                ruby,
                format!("cannot set the immutable global `{}`", rb_self.name),
            ));
        }
        let what = format!("the value of the global `{}`", rb_self.name);
        let val = convert::to_val_at(ruby, &rb_self.shared, Place::Value(&what), value, ty.content)?;
        rb_self.global.set(val).map_err(|e| from_engine(ruby, e))?;
        Ok(value)
    }

    /// Whether the global can be set.
    ///
    /// @return [Boolean]
    fn is_mutable(&self) -> bool {
        self.global.ty().mutable
    }

    /// The type.
    ///
    /// @return [Wasmer::GlobalType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::extern_type(ruby, &engine::ExternType::Global(rb_self.global.ty()))
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Global {} {}>", self.name, self.global.ty())
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Global", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("value", method!(Global::value, 0))?;
    class.define_method("value=", method!(Global::set_value, 1))?;
    class.define_method("mutable?", method!(Global::is_mutable, 0))?;
    class.define_method("type", method!(Global::r#type, 0))?;
    class.define_method("inspect", method!(Global::inspect, 0))?;
    Ok(())
}
