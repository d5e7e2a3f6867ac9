//! Host functions: made from a closure, called by wasm through a host trampoline, and the
//! [`Caller`] through which they see the instance that called them.

use crate::engine::Signature;
use crate::error::{Error, Result};
use crate::exports::{Exports, Extern};
use crate::func::Func;
use crate::memory::Memory;
use crate::store::{Hold, InterruptHandle, Store, StoreInner};
use crate::types::FuncType;
use crate::values::Val;
use crate::vm::instance::InstanceData;
use crate::vm::traps;
use crate::vm::vmctx::{VMFuncRef, VMHostContext, ValRaw};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// What a host function is given: its caller and its arguments. It returns its results.
pub type HostFn = dyn Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>>;

/// The context a host function runs in: the store, and the instance whose wasm called it
/// (none when the host itself called the function, or called it through a table).
pub struct Caller<'a> {
    store: &'a Arc<StoreInner>,
    instance: Option<*mut InstanceData>,
    host_call: &'a traps::HostCall,
}

impl Caller<'_> {
    /// The calling instance's export `name`.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.exports()?.get(name)
    }

    /// The calling instance's first exported memory, where WASI-style APIs find their data.
    pub fn memory(&self) -> Option<Memory> {
        self.exports()?.memory()
    }

    /// The store the call runs in.
    pub fn store(&self) -> Store {
        Store {
            inner: self.store.clone(),
        }
    }

    /// Stops the wasm running in this store (see [`InterruptHandle`]).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.store().interrupt_handle()
    }

    /// The store entry of the call running this host function, for the embedder to
    /// release should the host function's stack never run again (see [`Hold`]); `None` on
    /// the thread's own stack, which always unwinds, and when asked again.
    pub fn hold(&self) -> Option<Hold> {
        self.host_call.take_hold().then(|| Hold::new(self.store))
    }

    fn exports(&self) -> Option<Exports<'_>> {
        // SAFETY: a call site's caller is an instance of this store, alive as long as it.
        self.instance.map(|data| unsafe { Exports::new(self.store, data) })
    }
}

/// The vmctx of a host function's funcref: where the call comes from. Each instance importing
/// a host function gets a site of its own, naming it as the caller.
#[repr(C)]
pub(crate) struct HostCallSite {
    header: VMHostContext,
    func: *const HostFunc,
    caller: *mut InstanceData,
}

impl HostCallSite {
    /// A site for `func`'s calls from `caller`.
    ///
    /// # Safety
    /// `func` must be a host function (see [`Func::is_host`]).
    pub(crate) unsafe fn new(func: &Func, caller: *mut InstanceData) -> HostCallSite {
        // SAFETY: a host function's funcref has its own call site as vmctx.
        let own = unsafe { &*((*func.raw).vmctx as *const HostCallSite) };
        HostCallSite {
            header: VMHostContext {
                dispatch: host_dispatch,
            },
            func: own.func,
            caller,
        }
    }
}

/// A host function as its store keeps it.
struct HostFunc {
    site: HostCallSite,
    funcref: VMFuncRef,
    sig: Arc<Signature>,
    store: *const StoreInner,
    callback: Box<HostFn>,
}

impl Func {
    /// A function that runs `callback`. An `Err` it returns stops the wasm that called it and
    /// comes back unchanged from the outermost `call`.
    pub fn new(
        store: &Store,
        ty: FuncType,
        callback: impl Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>> + 'static,
    ) -> Func {
        let engine = store.engine();
        let sig = engine.signature(&ty);
        let ptr = store.inner.keep(HostFunc {
            site: HostCallSite {
                header: VMHostContext {
                    dispatch: host_dispatch,
                },
                func: std::ptr::null(),
                caller: std::ptr::null_mut(),
            },
            funcref: VMFuncRef {
                code: engine.host_trampoline(&sig),
                vmctx: std::ptr::null_mut(),
                type_id: sig.id,
            },
            sig: sig.clone(),
            store: Arc::as_ptr(&store.inner),
            callback: Box::new(callback),
        });
        // SAFETY: `ptr` is the fresh, fixed address of the host function; nothing else refers
        // to it yet.
        let raw = unsafe {
            (*ptr).site.func = ptr;
            (*ptr).funcref.vmctx = std::ptr::addr_of_mut!((*ptr).site).cast();
            std::ptr::addr_of!((*ptr).funcref)
        };
        Func {
            store: store.inner.clone(),
            raw,
            sig,
        }
    }

}

/// Called by a host trampoline with the call site, the argument slots and its frame pointer;
/// writes the results into the same slots. Returns nonzero after leaving the error for `traps::invoke`.
unsafe extern "C" fn host_dispatch(ctx: *mut VMHostContext, values: *mut ValRaw, frame: usize) -> i32 {
    // SAFETY: host trampolines pass the vmctx of a host funcref, which is a call site whose
    // function the store keeps alive.
    let (site, func) = unsafe {
        let site = &*(ctx as *const HostCallSite);
        (site, &*site.func)
    };
    let ty = &func.sig.ty;
    // SAFETY: the function's store is alive while its wasm runs; we take a counted reference.
    let store = unsafe {
        Arc::increment_strong_count(func.store);
        Arc::from_raw(func.store)
    };
    let args: Vec<Val> = ty
        .params()
        .iter()
        .enumerate()
        // SAFETY: the trampoline wrote one argument of the declared type per parameter.
        .map(|(i, &t)| unsafe { Val::from_raw(&store, t, *values.add(i)) })
        .collect();
    // SAFETY: the runtime is the one of the store whose wasm called us.
    let host_call = unsafe { traps::HostCall::enter(store.runtime(), frame) };
    let mut caller = Caller {
        store: &store,
        instance: (!site.caller.is_null()).then_some(site.caller),
        host_call: &host_call,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| (func.callback)(&mut caller, &args)));
    drop(host_call);
    let error = match outcome {
        Ok(Ok(results)) => match check_results(ty, &results, &store) {
            Ok(()) => {
                for (i, r) in results.iter().enumerate() {
                    // SAFETY: the trampoline made room for max(params, results) slots.
                    unsafe { *values.add(i) = r.to_raw() };
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
