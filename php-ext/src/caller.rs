//! `Wasm\Caller`: what a host function made with `Wasm\HostFunction::withCaller` gets first,
//! to reach the instance whose wasm called it: its memory, its globals, its functions.
//!
//! It is valid only while that host function runs: the engine's caller lives on the stack of
//! the call, so once the callable returns, the object refuses every use.

use crate::errors::{self, Raise};
use crate::global_variable::GlobalVariable;
use crate::instance;
use crate::memory::Memory;
use engine::embed::call::CallPlan;
use engine::Extern;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};
use std::cell::Cell;
use std::ptr;

/// The instance calling a host function.
#[php_class]
#[php(name = "Wasm\\Caller")]
pub struct Caller {
    /// The engine's caller while the host function runs, null after.
    inner: Cell<*mut engine::Caller<'static>>,
}

impl Caller {
    /// A `Wasm\Caller` for `caller`, to pass to a callable. Call [`Caller::end`] on it before
    /// `caller` goes away.
    pub(crate) fn begin(caller: &mut engine::Caller<'_>) -> Zval {
        let object = Caller {
            inner: Cell::new(ptr::from_mut(caller).cast()),
        };
        // A registered class always converts.
        object.into_zval(false).unwrap_or_default()
    }

    /// Makes the `Wasm\Caller` in `z` unusable: its host function returns.
    pub(crate) fn end(z: &Zval) {
        if let Some(caller) = z.object().and_then(ZendClassObject::<Caller>::from_zend_obj) {
            caller.inner.set(ptr::null_mut());
        }
    }

    fn get(&self, method: &str) -> PhpResult<&engine::Caller<'static>> {
        let inner = self.inner.get();
        if inner.is_null() {
            return Err(errors::wasm_exception(format!(
                "Wasm\\Caller::{method}(): a caller can only be used while its host function runs"
            )));
        }
        // SAFETY: not null, so the host function that got this object is still running, and
        // its engine caller lives on the stack below.
        Ok(unsafe { &*inner })
    }

    /// The calling instance's export `name`, if it is a `kind` (`global`, `function`).
    fn export(&self, method: &str, name: &str, kind: &str) -> PhpResult<Extern> {
        match self.get(method)?.get_export(name) {
            Some(ext) if ext.kind() == kind => Ok(ext),
            found => Err(errors::wasm_exception(engine::embed::messages::export_mismatch(
                "the calling instance",
                name,
                found.as_ref().map(Extern::kind),
                kind,
            ))),
        }
    }
}

#[php_impl]
impl Caller {
    /// The calling instance's first exported memory.
    pub fn memory(&self) -> PhpResult<Memory> {
        match self.get("memory")?.memory() {
            Some(memory) => Ok(Memory::new(memory)),
            None => Err(errors::wasm_exception("the calling instance exports no memory")),
        }
    }

    /// The calling instance's exported global `$name`.
    pub fn global(&self, name: &str) -> PhpResult<GlobalVariable> {
        match self.export("global", name, "global")? {
            Extern::Global(g) => Ok(GlobalVariable::new(g, Some(name.into()))),
            _ => unreachable!("export() checked the kind"),
        }
    }

    /// Calls the calling instance's exported function `$name` with `$args`.
    pub fn call(&self, name: &str, args: &[&Zval]) -> PhpResult<Zval> {
        let Extern::Func(func) = self.export("call", name, "function")? else {
            unreachable!("export() checked the kind")
        };
        let mut rv = Zval::new();
        let interrupt = func.store().interrupt_handle();
        instance::call(name, &CallPlan::new(func), &interrupt, args.iter().copied(), &mut rv)
            .map_err(Raise::into_php)?;
        Ok(rv)
    }
}
