//! Functions: a handle to a function of an instance or of the host, and the raw call into
//! wasm that every other call goes through.

use crate::engine::Signature;
use crate::error::{Error, Result};
use crate::store::{Store, StoreInner};
use crate::types::FuncType;
use crate::vm::traps;
use crate::vm::vmctx::{ValRaw, VMFuncRef};
use std::sync::Arc;

/// A function of an instance, or a host function. Cheap to clone.
#[derive(Clone)]
pub struct Func {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) raw: *const VMFuncRef,
    pub(crate) sig: Arc<Signature>,
}

// SAFETY: `raw` points into an object its store keeps alive as long as `store`; it is only
// dereferenced by a thread inside the store (see `Store`).
unsafe impl Send for Func {}
// SAFETY: as for Send.
unsafe impl Sync for Func {}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Func({})", self.sig.ty)
    }
}

impl Func {
    /// # Safety
    /// `raw` must point to a live funcref of `store`.
    pub(crate) unsafe fn from_raw(store: Arc<StoreInner>, raw: *const VMFuncRef) -> Func {
        // SAFETY: the caller promises a live funcref.
        let sig = store.engine().signature_by_id(unsafe { (*raw).type_id });
        Func { store, raw, sig }
    }

    pub fn ty(&self) -> &FuncType {
        &self.sig.ty
    }

    /// The store it lives in.
    pub fn store(&self) -> Store {
        Store {
            inner: self.store.clone(),
        }
    }

    pub(crate) fn type_id(&self) -> u64 {
        self.sig.id
    }

    /// Whether this is a host function (made by [`Func::new`]) rather than wasm code.
    pub(crate) fn is_host(&self) -> bool {
        // SAFETY: `raw` is a live funcref of our store.
        let code = unsafe { (*self.raw).code };
        self.sig.is_host_code(code)
    }

    /// Calls the function with its arguments in `slots`, and leaves its results there: the
    /// fast path of bindings, with no allocation. Only for functions whose parameters and
    /// results are all numbers (any bits are then a valid argument); `slots` must have room
    /// for the arguments and for the results.
    #[inline]
    pub fn call_raw(&self, slots: &mut [ValRaw]) -> Result<()> {
        let ty = &self.sig.ty;
        if !self.sig.numeric {
            return Err(Error::Usage(format!(
                "call_raw cannot call a function of type {ty}: it takes or returns references"
            )));
        }
        if slots.len() < ty.params().len().max(ty.results().len()) {
            return Err(Error::Usage(format!(
                "call_raw needs {} slots for a function of type {ty}, {} given",
                ty.params().len().max(ty.results().len()),
                slots.len()
            )));
        }
        let _entered = self.store.enter()?;
        // SAFETY: checked above: enough slots, and any bits are valid numbers.
        unsafe { self.invoke(slots) }
    }

    /// # Safety
    /// `slots` holds the arguments, of the right types, and has room for the results; the
    /// caller is inside the store.
    #[inline]
    pub(crate) unsafe fn invoke(&self, slots: &mut [ValRaw]) -> Result<()> {
        // SAFETY: `raw` is a live funcref of our store.
        let raw = unsafe { &*self.raw };
        let entry = self.store.engine().entry_trampoline(&self.sig);
        let _deadline = self.store.deadline();
        // SAFETY: the entry trampoline is the one of the function's type, and the caller
        // promises the slots.
        unsafe {
            traps::invoke(
                self.store.runtime(),
                entry,
                raw.code,
                raw.vmctx,
                slots.as_mut_ptr(),
            )
        }
    }
}
