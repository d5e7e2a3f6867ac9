//! `Wasmer::Global`: an exported global.

use crate::errors::{from_engine, wasmer_error};
use crate::store::Shared;
use crate::types;
use crate::convert;
use engine::embed::messages::Place;
use engine::{GlobalType, ValType};
use magnus::{
    gc::Marker,
    method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    DataTypeFunctions, Error, RHash, RModule, Ruby, Symbol, TypedData, Value,
};
use std::cell::{Cell, RefCell};
use std::sync::Arc;

fn unknown_type(ruby: &Ruby, ty: Value) -> Error {
    crate::errors::argument_error(
        ruby,
        format!("Wasmer::Global.new: the type must be :i32, :i64, :f32, :f64 or :v128, got {}", ty.inspect()),
    )
}

/// A WebAssembly global.
///
/// @example
///   g = instance.exports[:counter]
///   g.value       # => 0
///   g.value = 42  # if g.mutable?
#[derive(TypedData)]
#[magnus(class = "Wasmer::Global", mark, free_immediately, size)]
pub struct Global {
    pub(crate) shared: Arc<Shared>,
    global: RefCell<engine::Global>,
    /// Made with `new` and not imported yet: alone in its store, so the first instance that
    /// imports it may move it into its own store (see `adopt`).
    movable: Cell<bool>,
    name: String,
}

impl DataTypeFunctions for Global {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

/// The current value of `global` as a Ruby object.
pub fn value_of(ruby: &Ruby, global: &Global) -> Result<Value, Error> {
    let value = global.global().get().map_err(|e| from_engine(ruby, e))?;
    Ok(convert::to_ruby(ruby, &global.shared, &value))
}

impl Global {
    pub fn new(shared: Arc<Shared>, global: engine::Global, name: &str) -> Global {
        Global {
            shared,
            global: RefCell::new(global),
            movable: Cell::new(false),
            name: name.to_owned(),
        }
    }

    /// A new global, to give as an import.
    ///
    /// @param type [Symbol] :i32, :i64, :f32, :f64 or :v128
    /// @param value [Integer, Float, String] converted like a function argument
    /// @param mutable [Boolean]
    /// @return [Wasmer::Global]
    /// @raise [ArgumentError] if the type is unknown
    /// @raise [TypeError, RangeError] if the value does not fit the type
    fn make(ruby: &Ruby, args: &[Value]) -> Result<magnus::typed_data::Obj<Global>, Error> {
        let args = scan_args::<(Value, Value), (), (), (), RHash, ()>(args)?;
        let (ty, value) = args.required;
        let kwargs = get_kwargs::<_, (), (Option<bool>,), ()>(args.keywords, &[], &["mutable"])?;
        let (mutable,) = kwargs.optional;
        let content = match Symbol::from_value(ty).map(|s| s.name().map(|n| ValType::from_name(&n))) {
            Some(Ok(Some(t))) if !t.is_ref() => t,
            _ => return Err(unknown_type(ruby, ty)),
        };
        let store = crate::store::new_store();
        crate::store::made_alone(ruby, &store, |shared| {
            let val = convert::to_val_at(ruby, &shared, Place::Value("the value"), value, content)?;
            let global = engine::Global::new(&store, GlobalType { content, mutable: mutable.unwrap_or(false) }, val)
                .map_err(|e| from_engine(ruby, e))?;
            let global = Global::new(shared, global, "global");
            global.movable.set(true);
            Ok(global)
        })
    }

    pub fn global(&self) -> engine::Global {
        self.global.borrow().clone()
    }

    /// The store the global lives in, unless it may still move to another.
    pub fn fixed_store(&self) -> Option<engine::Store> {
        (!self.movable.get()).then(|| self.global().store())
    }

    /// The global as an import of an instance in `store`: moved there (a new global with the
    /// same type and value, which this object then stands for) if it may still move.
    pub fn adopt(&self, store: &engine::Store) -> engine::Result<engine::Global> {
        let old = self.global();
        if self.movable.get() && old.store() != *store {
            let moved = engine::Global::new(store, old.ty(), old.get()?)?;
            *self.global.borrow_mut() = moved;
        }
        self.movable.set(false);
        Ok(self.global())
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
        let ty = rb_self.global().ty();
        if !ty.mutable {
            return Err(wasmer_error(
                ruby,
                format!("cannot set the immutable global `{}`", rb_self.name),
            ));
        }
        let what = format!("the value of the global `{}`", rb_self.name);
        let val = convert::to_val_at(ruby, &rb_self.shared, Place::Value(&what), value, ty.content)?;
        rb_self.global().set(val).map_err(|e| from_engine(ruby, e))?;
        Ok(value)
    }

    /// Whether the global can be set.
    ///
    /// @return [Boolean]
    fn is_mutable(&self) -> bool {
        self.global().ty().mutable
    }

    /// The type.
    ///
    /// @return [Wasmer::GlobalType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::extern_type(ruby, &engine::ExternType::Global(rb_self.global().ty()))
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Global {} {}>", self.name, self.global().ty())
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Global", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", magnus::function!(Global::make, -1))?;
    class.define_method("value", method!(Global::value, 0))?;
    class.define_method("value=", method!(Global::set_value, 1))?;
    class.define_method("mutable?", method!(Global::is_mutable, 0))?;
    class.define_method("type", method!(Global::r#type, 0))?;
    class.define_method("inspect", method!(Global::inspect, 0))?;
    Ok(())
}
