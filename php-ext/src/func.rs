//! `Wasm\Func`: a wasm function held as a value (a funcref from a table, a global, a
//! result or an import's argument), callable from PHP: `$f(1, 2)`.

use crate::errors::Raise;
use crate::instance;
use engine::embed::call::CallPlan;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

/// A WebAssembly function. (`Wasm\Func`, not `Wasm\Function`: `function` is a reserved word,
/// which no PHP source, such as the stub, could declare as a class name.)
#[php_class]
#[php(name = "Wasm\\Func")]
pub struct Func {
    plan: CallPlan,
    /// What messages call it: its export name, else "funcref".
    name: String,
}

impl Func {
    pub(crate) fn new(func: engine::Func, name: Option<&str>) -> Func {
        Func {
            plan: CallPlan::new(func),
            name: name.unwrap_or("funcref").to_owned(),
        }
    }

    pub(crate) fn func(&self) -> &engine::Func {
        &self.plan.func
    }
}

#[php_impl]
impl Func {
    /// Calls the function with `$args`, converting as exports are.
    pub fn __invoke(&self, args: &[&Zval]) -> PhpResult<Zval> {
        let mut rv = Zval::new();
        let interrupt = self.plan.func.store().interrupt_handle();
        instance::call(&self.name, &self.plan, &interrupt, args.iter().copied(), &mut rv).map_err(Raise::into_php)?;
        Ok(rv)
    }

    /// The signature, e.g. `func(i32, i32) -> i32`.
    #[php(name = "type")]
    pub fn signature(&self) -> String {
        self.plan.func.ty().to_string()
    }
}

impl crate::helpers::debug_info::DebugInfo for Func {
    /// `type`.
    fn debug_info(&self) -> ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable> {
        let mut table = ext_php_rs::types::ZendHashTable::new();
        let _ = table.insert("type", self.signature());
        table
    }
}
