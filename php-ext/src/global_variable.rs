//! `Wasm\GlobalVariable`: a global variable of an instance (or made from PHP).

use crate::convert;
use engine::embed::messages::Place;
use crate::errors::{self, value_error};
use engine::{GlobalType, ValType};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use std::cell::{Cell, RefCell};

/// A WebAssembly global.
#[php_class]
#[php(name = "Wasm\\GlobalVariable")]
pub struct GlobalVariable {
    global: RefCell<engine::Global>,
    /// Made with `new` and not imported yet: alone in its store, so the first instance that
    /// imports it may move it into its own store (see `adopt`).
    movable: Cell<bool>,
    name: Option<String>,
}

impl GlobalVariable {
    pub(crate) fn new(global: engine::Global, name: Option<String>) -> GlobalVariable {
        GlobalVariable {
            global: RefCell::new(global),
            movable: Cell::new(false),
            name,
        }
    }

    pub(crate) fn global(&self) -> engine::Global {
        self.global.borrow().clone()
    }

    /// The store the global lives in, unless it may still move to another.
    pub(crate) fn fixed_store(&self) -> Option<engine::Store> {
        (!self.movable.get()).then(|| self.global().store())
    }

    /// The global as an import of an instance in `store`: moved there (a new global with the
    /// same type and value, which this object then stands for) if it may still move.
    pub(crate) fn adopt(&self, store: &engine::Store) -> engine::Result<engine::Global> {
        if self.movable.get() && self.global().store() != *store {
            let old = self.global();
            let moved = engine::Global::new(store, old.ty(), old.get()?)?;
            *self.global.borrow_mut() = moved;
        }
        self.movable.set(false);
        Ok(self.global())
    }

    fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("the global `{name}`"),
            None => "the global".into(),
        }
    }
}

fn parse_type(ty: &str) -> Option<ValType> {
    ValType::from_name(ty).filter(|t| !t.is_ref())
}

/// `value`, argument `position` of `method`, as a value of type `ty`.
fn value_of(method: &str, position: usize, ty: ValType, value: &Zval, store: &engine::Store) -> PhpResult<engine::Val> {
    let function = format!("Wasm\\GlobalVariable::{method}");
    convert::to_val(value, ty, store).map_err(|m| {
        errors::mismatch(Place::Argument { function: &function, position }, ty, m, value).into_php()
    })
}

#[php_impl]
impl GlobalVariable {
    /// A new global of type `$type` ("i32", "i64", "f32", "f64" or "v128", a 16-byte string)
    /// holding `$value`, to give
    /// as an import: the first instance importing it takes it into its store, where it stays
    /// shared between that instance and PHP.
    #[php(defaults(mutable = false))]
    pub fn __construct(r#type: &str, value: &Zval, mutable: bool) -> PhpResult<Self> {
        let Some(content) = parse_type(r#type) else {
            return Err(value_error(
                "Wasm\\GlobalVariable::__construct(): Argument #1 ($type) must be one of \"i32\", \"i64\", \"f32\", \"f64\" or \"v128\"",
            ));
        };
        let store = crate::store::new_store();
        let val = value_of("__construct", 2, content, value, &store)?;
        let global = engine::Global::new(&store, GlobalType { content, mutable }, val)
            .map_err(errors::php)?;
        let global = GlobalVariable::new(global, None);
        global.movable.set(true);
        Ok(global)
    }

    /// The current value.
    pub fn get(&self) -> PhpResult<Zval> {
        let value = self.global().get().map_err(crate::errors::php)?;
        Ok(convert::to_zval(&value))
    }

    /// Sets the value; the global must be mutable and the value of its type.
    pub fn set(&self, value: &Zval) -> PhpResult<()> {
        let global = self.global();
        let ty = global.ty();
        if !ty.mutable {
            return Err(errors::wasm_exception(format!("cannot set {}: it is immutable", self.describe())));
        }
        let val = value_of("set", 1, ty.content, value, &global.store())?;
        global.set(val).map_err(errors::php)
    }

    /// Whether the global can be set.
    pub fn is_mutable(&self) -> bool {
        self.global().ty().mutable
    }

    /// The wasm type of the value: "i32", "i64", "f32", "f64", "v128", "funcref" or
    /// "externref".
    pub fn r#type(&self) -> String {
        self.global().ty().content.to_string()
    }
}


impl crate::helpers::debug_info::DebugInfo for GlobalVariable {
    /// `type`, `mutable` and `value`.
    fn debug_info(&self) -> ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable> {
        let mut table = ext_php_rs::types::ZendHashTable::new();
        let _ = table.insert("type", self.r#type());
        let _ = table.insert("mutable", self.is_mutable());
        if let Ok(value) = self.global().get() {
            let _ = table.insert("value", convert::to_zval(&value));
        }
        table
    }
}
