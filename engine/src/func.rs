//! Functions: calling wasm from the host, and host functions wasm can call, which see their
//! caller through a [`Caller`].

use crate::engine::Signature;
use crate::error::{Error, Result};
use crate::instance::{Extern, Instance};
use crate::memory::Memory;
use crate::store::{Hold, InterruptHandle, Store, StoreInner};
use crate::types::FuncType;
use crate::values::Val;
use crate::vm::instance::InstanceData;
use crate::vm::traps;
use crate::vm::vmctx::{ValRaw, VMFuncRef, VMHostContext};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// A function of an instance, or a host function. Cheap to clone.
#[derive(Clone)]
pub struct Func {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) raw: *const VMFuncRef,
    sig: Arc<Signature>,
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
        self.instance()?.get_export(name)
    }

    /// The calling instance's first exported memory, where WASI-style APIs find their data.
    pub fn memory(&self) -> Option<Memory> {
        self.instance()?.memory()
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

    fn instance(&self) -> Option<Instance> {
        // SAFETY: a call site's caller is an instance of this store, alive as long as it.
        self.instance
            .map(|data| unsafe { Instance::from_data(self.store.clone(), data) })
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

/// Most calls have few arguments: their slots live on the stack.
const INLINE_SLOTS: usize = 8;

impl Func {
    /// # Safety
    /// `raw` must point to a live funcref of `store`.
    pub(crate) unsafe fn from_raw(store: Arc<StoreInner>, raw: *const VMFuncRef) -> Func {
        // SAFETY: the caller promises a live funcref.
        let sig = store.engine().signature_by_id(unsafe { (*raw).type_id });
        Func { store, raw, sig }
    }

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
        let mut inline = [ValRaw::default(); INLINE_SLOTS];
        let mut heap = Vec::new();
        let slots: &mut [ValRaw] = if n <= INLINE_SLOTS {
            &mut inline
        } else {
            heap.resize(n, ValRaw::default());
            &mut heap
        };
        for (slot, arg) in slots.iter_mut().zip(args) {
            *slot = arg.to_raw();
        }
        let entered = self.store.enter()?;
        // SAFETY: the arguments were checked against the type above, and there are slots
        // for the results; we are inside the store.
        unsafe { self.invoke(slots)? };
        results.clear();
        results.extend(
            ty.results()
                .iter()
                .zip(slots.iter())
                // SAFETY: the results are of the function's result types, and funcrefs among
                // them are of our store.
                .map(|(&t, &raw)| unsafe { Val::from_raw(&self.store, t, raw) }),
        );
        drop(entered);
        Ok(())
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
