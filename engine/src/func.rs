//! Functions: calling wasm from the host, and host functions wasm can call.

use crate::error::{Error, Result};
use crate::signatures::{self, Signature};
use crate::store::StoreInner;
use crate::traps;
use crate::types::FuncType;
use crate::values::Val;
use crate::vm::VMFuncRef;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// A function of an instance, or a host function. Cheap to clone.
#[derive(Clone)]
pub struct Func {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) raw: *const VMFuncRef,
    sig: &'static Signature,
}

unsafe impl Send for Func {}
unsafe impl Sync for Func {}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Func({})", self.sig.ty)
    }
}

/// What a host function is given: its arguments. It returns its results.
pub type HostFn = dyn Fn(&[Val]) -> Result<Vec<Val>>;

/// A host function as generated code calls it. `funcref` comes first so that a pointer to
/// the struct is a pointer to its funcref.
#[repr(C)]
struct HostFunc {
    funcref: VMFuncRef,
    sig: &'static Signature,
    store: *const StoreInner,
    callback: Box<HostFn>,
}

/// Most calls have few arguments: their slots live on the stack.
const INLINE_SLOTS: usize = 8;

impl Func {
    /// # Safety
    /// `raw` must point to a live funcref of `store`.
    pub(crate) unsafe fn from_raw(store: Arc<StoreInner>, raw: *const VMFuncRef) -> Func {
        Func {
            store,
            raw,
            sig: signatures::by_id((*raw).type_id),
        }
    }

    /// A function that runs `callback`. An `Err` it returns stops the wasm that called it and
    /// comes back unchanged from the outermost `call`.
    pub fn new(
        store: &crate::Store,
        ty: FuncType,
        callback: impl Fn(&[Val]) -> Result<Vec<Val>> + 'static,
    ) -> Func {
        let sig = signatures::intern(&ty);
        let ptr = store.inner.keep(HostFunc {
            funcref: VMFuncRef {
                code: sig.host_trampoline(host_dispatch as *const () as usize),
                vmctx: std::ptr::null_mut(),
                type_id: sig.id,
            },
            sig,
            store: Arc::as_ptr(&store.inner),
            callback: Box::new(callback),
        });
        unsafe { (*ptr).funcref.vmctx = ptr.cast() };
        Func {
            store: store.inner.clone(),
            raw: ptr.cast(),
            sig,
        }
    }

    pub fn ty(&self) -> &FuncType {
        &self.sig.ty
    }

    pub(crate) fn type_id(&self) -> u64 {
        self.sig.id
    }

    /// Calls the function with its arguments in `slots`, and leaves its results there: the
    /// fast path of bindings, with no checks and no allocation. Each value is in its raw form:
    /// an i32 as its bits zero-extended, an i64 as its bits, an f32 or f64 as its bits.
    ///
    /// # Safety
    /// `slots` must have room for as many values as the function has parameters and results,
    /// hold one argument of the right type per parameter, and the function must take and
    /// return numbers only (no references).
    pub unsafe fn call_raw(&self, slots: &mut [u64]) -> Result<()> {
        let ty = &self.sig.ty;
        debug_assert!(slots.len() >= ty.params().len().max(ty.results().len()));
        debug_assert!(!ty.params().iter().chain(ty.results()).any(|t| t.is_ref()));
        self.invoke(slots)
    }

    /// # Safety
    /// `slots` holds the arguments, of the right types, and has room for the results.
    unsafe fn invoke(&self, slots: &mut [u64]) -> Result<()> {
        let raw = &*self.raw;
        traps::invoke(
            self.store.runtime(),
            self.sig.entry_trampoline(),
            raw.code,
            raw.vmctx,
            slots.as_mut_ptr(),
        )
    }

    /// Calls the function, checking the number and types of `args`.
    pub fn call(&self, args: &[Val]) -> Result<Vec<Val>> {
        let mut results = Vec::with_capacity(self.sig.ty.results().len());
        self.call_into(args, &mut results)?;
        Ok(results)
    }

    /// Like [`Func::call`], but replaces the contents of `results` instead of allocating:
    /// the fast path for embedders that call often.
    pub fn call_into(&self, args: &[Val], results: &mut Vec<Val>) -> Result<()> {
        let ty = &self.sig.ty;
        if args.len() != ty.params().len() {
            return Err(Error::ArgumentCount {
                expected: ty.params().len(),
                given: args.len(),
            });
        }
        for (index, (arg, &expected)) in args.iter().zip(ty.params()).enumerate() {
            if arg.ty() != expected || !arg.usable_in(&self.store) {
                return Err(Error::ArgumentType { index, expected });
            }
        }
        let n = ty.params().len().max(ty.results().len());
        let mut inline = [0u64; INLINE_SLOTS];
        let mut heap = Vec::new();
        let slots: &mut [u64] = if n <= INLINE_SLOTS {
            &mut inline
        } else {
            heap.resize(n, 0);
            &mut heap
        };
        for (slot, arg) in slots.iter_mut().zip(args) {
            *slot = arg.to_raw();
        }
        unsafe { self.invoke(slots)? };
        results.clear();
        results.extend(
            ty.results()
                .iter()
                .zip(slots.iter())
                .map(|(&t, &raw)| Val::from_raw(&self.store, t, raw)),
        );
        Ok(())
    }
}

/// Called by a host trampoline with the function and its argument slots; writes the results
/// into the same slots. Returns nonzero after leaving the error for `traps::invoke`.
unsafe extern "C" fn host_dispatch(func: *const HostFunc, values: *mut u64) -> i32 {
    let func = &*func;
    let ty = &func.sig.ty;
    Arc::increment_strong_count(func.store);
    let store = Arc::from_raw(func.store);
    let args: Vec<Val> = ty
        .params()
        .iter()
        .enumerate()
        .map(|(i, &t)| Val::from_raw(&store, t, *values.add(i)))
        .collect();
    let host_call = traps::HostCall::enter(store.runtime());
    let outcome = catch_unwind(AssertUnwindSafe(|| (func.callback)(&args)));
    drop(host_call);
    let error = match outcome {
        Ok(Ok(results)) => match check_results(ty, &results, &store) {
            Ok(()) => {
                for (i, r) in results.iter().enumerate() {
                    *values.add(i) = r.to_raw();
                }
                return 0;
            }
            Err(e) => e,
        },
        Ok(Err(e)) => e,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Error::Usage(format!("host function panicked: {message}"))
        }
    };
    traps::set_host_error(error);
    1
}

fn check_results(ty: &FuncType, results: &[Val], store: &Arc<StoreInner>) -> Result<()> {
    let fits = results.len() == ty.results().len()
        && results
            .iter()
            .zip(ty.results())
            .all(|(r, &t)| r.ty() == t && r.usable_in(store));
    if fits {
        return Ok(());
    }
    let got: Vec<String> = results.iter().map(|r| r.ty().to_string()).collect();
    Err(Error::ResultType(format!(
        "host function of type {ty} returned ({})",
        got.join(", ")
    )))
}
