//! The store: owner of every instance, memory, table, global and host function created in it,
//! and of the runtime state (stack limit, interrupt flag) their code shares.
//!
//! Handles to store objects (`Func`, `Memory`, `Table`, `Global`, `Instance`) may be sent to
//! other threads, but every access to what they point to first enters the store: one thread
//! at a time, re-entrantly (wasm calling a host function that reads memory is one thread). A
//! second thread gets `Error::StoreBusy` instead of racing with the first, or waits for it
//! when the embedder says how (`Store::set_busy_wait`).

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::vm::memory::MemoryBudget;
use crate::vm::vmctx::{VMInterrupt, VMRuntime, INTERRUPT, SAFEPOINT};
use std::any::Any;
use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub(crate) struct StoreInner {
    engine: Engine,
    runtime: Box<UnsafeCell<VMRuntime>>,
    /// The token of the thread inside the store (`thread_token`), 0 when none is.
    owner: AtomicUsize,
    /// How many times the owner has entered; touched by the owner only.
    depth: UnsafeCell<u32>,
    /// Boxed so that their addresses, which generated code holds, never change. Freed with the
    /// store: a funcref or a table entry may point into any of them until then.
    objects: Mutex<Vec<Box<dyn Any>>>,
    /// The time limit of each call from the host, in nanoseconds (0: none).
    call_timeout: AtomicU64,
    /// Whether a call with a deadline is running; touched by the owner only.
    pub(crate) deadline_armed: UnsafeCell<bool>,
    /// Whether instances made from now on run metered code (`Store::set_fuel` was called).
    metered: AtomicBool,
    /// What the store's memories may take together, and take.
    pub(crate) memory_budget: Arc<MemoryBudget>,
    /// Where the periodic safepoint timer finds the store, once asked to.
    safepoints: std::sync::OnceLock<Arc<crate::safepoints::Target>>,
    /// How a thread finding the store in use waits (see `Store::set_busy_wait`).
    busy_wait: std::sync::OnceLock<fn(u32) -> bool>,
}

impl Drop for StoreInner {
    fn drop(&mut self) {
        if let Some(target) = self.safepoints.get() {
            target.clear();
        }
    }
}

// SAFETY: the runtime block, `depth` and every object in `objects` are only touched by the
// thread that has entered the store (`enter`), which excludes all others; the interrupt flag
// is atomic; `objects` itself is behind a mutex.
unsafe impl Send for StoreInner {}
// SAFETY: as for Send.
unsafe impl Sync for StoreInner {}

thread_local! {
    /// This thread's token (see `thread_token`), 0 until first asked for.
    static TOKEN: Cell<usize> = const { Cell::new(0) };
}

static NEXT_THREAD_NUMBER: AtomicU32 = AtomicU32::new(1);

/// This process's id, kept up to date in forked children (`getpid` is a system call); 0
/// until first needed.
static PID: AtomicU32 = AtomicU32::new(0);

extern "C" fn forked() {
    // SAFETY: getpid is async-signal-safe, as a fork handler must be.
    PID.store(unsafe { libc::getpid() } as u32, Ordering::Relaxed);
}

/// Identifies the calling thread: the process id in the high half, a number for the thread in
/// the low half, so that in a forked child a token of the parent's is told apart from any
/// thread of the child (see `enter`).
#[inline]
fn thread_token() -> usize {
    let token = TOKEN.get();
    if token != 0 && token >> 32 == PID.load(Ordering::Relaxed) as usize {
        token
    } else {
        new_token(token)
    }
}

/// The token of this thread in this process, made on first use and again after a fork.
#[cold]
#[inline(never)]
fn new_token(old: usize) -> usize {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    // SAFETY: registers a handler that only stores an atomic.
    REGISTER.call_once(|| unsafe {
        libc::pthread_atfork(None, None, Some(forked));
        forked();
    });
    let number = match old as u32 {
        0 => NEXT_THREAD_NUMBER.fetch_add(1, Ordering::Relaxed),
        number => number,
    };
    let token = (PID.load(Ordering::Relaxed) as usize) << 32 | number as usize;
    TOKEN.set(token);
    token
}

/// Proof that the current thread is inside the store; leaves it when dropped.
pub(crate) struct Entered<'a> {
    store: &'a StoreInner,
}

impl Drop for Entered<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: we are the owner (see `enter`), the only thread touching `depth`.
        unsafe { self.store.leave() };
    }
}

/// The entry into a store of a call whose stack may never run again: a fiber's (or a
/// coroutine's) suspended inside a host function, which the embedder's runtime may free
/// without unwinding it (Ruby collects a Fiber no one can resume), leaving the store
/// entered for good. Taken in the host function ([`Caller::hold`](crate::Caller::hold)) and
/// dropped when it returns; [`Hold::release`] leaves the entry when the embedder learns the
/// stack is gone. The call it holds is the one whose wasm called the host function, which
/// made one entry (every call from the host makes exactly one).
pub struct Hold {
    store: std::sync::Weak<StoreInner>,
    token: usize,
}

impl Hold {
    pub(crate) fn new(store: &Arc<StoreInner>) -> Hold {
        Hold {
            store: Arc::downgrade(store),
            token: thread_token(),
        }
    }

    /// Leaves the held call's entry into the store, as its return would have: once the
    /// thread has no other entry, other threads may enter.
    ///
    /// # Safety
    /// The stack the hold was taken on never runs again, and the host function it was taken
    /// in never returned. The thread that took it does not run code of the store meanwhile
    /// (the embedder's own lock, like Ruby's GVL, orders the two), since this changes what
    /// that thread alone touches.
    pub unsafe fn release(self) {
        let Some(store) = self.store.upgrade() else { return };
        // Otherwise a fork made the entry void already (see `enter`).
        if store.owner.load(Ordering::Acquire) == self.token {
            // SAFETY: the owner does not run meanwhile, and one of its entries is ours.
            unsafe { store.leave() };
        }
    }
}

impl crate::deadline::Timed for StoreInner {
    fn interrupt(&self) -> &VMInterrupt {
        StoreInner::interrupt(self)
    }

    unsafe fn set_armed(&self, armed: bool) {
        // SAFETY: the caller is inside the store, the only thread touching `deadline_armed`.
        unsafe { *self.deadline_armed.get() = armed };
    }
}

impl StoreInner {
    /// Leaves one entry; the last one lets other threads in.
    ///
    /// # Safety
    /// The caller is the owner, or the owner does not run meanwhile; it has an entry.
    #[inline]
    unsafe fn leave(&self) {
        // SAFETY: as the caller promises, nothing else touches `depth` now.
        let depth = unsafe { &mut *self.depth.get() };
        *depth -= 1;
        if *depth == 0 {
            // SAFETY: as for `depth`.
            if unsafe { *self.deadline_armed.get() } {
                // The call that armed it was abandoned (see `Hold`): its deadline must not
                // fire into the next call.
                crate::deadline::disarm_abandoned(self);
            }
            self.owner.store(0, Ordering::Release);
        }
    }

    /// Enters the store on this thread. While another thread is inside it, waits as the
    /// embedder says (`Store::set_busy_wait`), or fails.
    #[inline]
    pub fn enter(&self) -> Result<Entered<'_>> {
        let me = thread_token();
        if self.owner.load(Ordering::Relaxed) != me {
            let mut attempt = 0;
            while let Err(owner) = self.owner.compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed) {
                if owner >> 32 != me >> 32 {
                    // Forked while a thread of the parent was inside: it will never leave.
                    if self.owner.compare_exchange(owner, me, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                        // SAFETY: this thread owns the store now, and no other thread of this
                        // process was inside it.
                        unsafe { *self.depth.get() = 0 };
                        break;
                    }
                    continue;
                }
                match self.busy_wait.get() {
                    Some(wait) if wait(attempt) => attempt = attempt.saturating_add(1),
                    _ => return Err(Error::StoreBusy),
                }
            }
        }
        // SAFETY: this thread owns the store now, so nothing else touches `depth`.
        unsafe { *self.depth.get() += 1 };
        Ok(Entered { store: self })
    }

    /// The runtime block generated code reads. Written only by a thread inside the store.
    pub fn runtime(&self) -> *mut VMRuntime {
        self.runtime.get()
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Keeps `object` alive as long as the store and returns its fixed address.
    pub fn keep<T: 'static>(&self, object: T) -> *mut T {
        let mut boxed = Box::new(object);
        let ptr: *mut T = &mut *boxed;
        self.objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(boxed);
        ptr
    }

    /// A deadline for a call from the host starting now, if the store has a call timeout
    /// and no call with a deadline is running (wasm called from a host function keeps the
    /// deadline of the call that called it). The caller is inside the store.
    #[inline]
    pub(crate) fn deadline(self: &Arc<Self>) -> Option<crate::deadline::Deadline> {
        let nanos = self.call_timeout.load(Ordering::Relaxed);
        // SAFETY: the caller is inside the store, the only thread touching `deadline_armed`.
        if nanos == 0 || unsafe { *self.deadline_armed.get() } {
            return None;
        }
        Some(crate::deadline::arm(self.clone(), std::time::Duration::from_nanos(nanos)))
    }

    /// Whether instances made now must run code that consumes fuel.
    pub fn metered(&self) -> bool {
        self.metered.load(Ordering::Relaxed)
    }

    /// The interrupt state; atomic, so any thread (or a signal handler) may use it.
    pub(crate) fn interrupt(&self) -> &VMInterrupt {
        // SAFETY: the runtime block lives as long as `self`; the interrupt state is only
        // accessed atomically, so a shared reference to it is sound while wasm runs.
        unsafe { &(*self.runtime()).interrupt }
    }
}

/// A set of wasm objects that can call each other. Cheap to clone; freed when the last
/// clone and the last object handle are dropped.
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Arc<StoreInner>,
}

/// Two handles are equal when they are the same store.
impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Store {}

/// A reference to a store that does not keep it alive: for what the store's own host
/// functions hold, which would otherwise keep their store alive forever.
#[derive(Clone)]
pub struct WeakStore(std::sync::Weak<StoreInner>);

impl WeakStore {
    /// The store, unless it is gone.
    pub fn upgrade(&self) -> Option<Store> {
        self.0.upgrade().map(|inner| Store { inner })
    }
}

impl Store {
    pub fn downgrade(&self) -> WeakStore {
        WeakStore(Arc::downgrade(&self.inner))
    }

    pub fn new(engine: &Engine) -> Store {
        // Finding this thread's stack reads /proc/self/maps on the main thread, which takes
        // more stack than a call into wasm may have left (deep in a fiber): find it now.
        crate::vm::traps::thread_stack();
        Store {
            inner: Arc::new(StoreInner {
                engine: engine.clone(),
                runtime: Box::new(UnsafeCell::new(VMRuntime {
                    interrupt: VMInterrupt::new(),
                    fuel: 0,
                    safepoint: UnsafeCell::new(None),
                })),
                owner: AtomicUsize::new(0),
                depth: UnsafeCell::new(0),
                objects: Mutex::new(Vec::new()),
                call_timeout: AtomicU64::new(0),
                deadline_armed: UnsafeCell::new(false),
                metered: AtomicBool::new(false),
                memory_budget: Arc::new(MemoryBudget::new()),
                safepoints: std::sync::OnceLock::new(),
                busy_wait: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Sets the function wasm running in this store calls at a safepoint (a function entry
    /// or loop iteration, once [`InterruptHandle::request_safepoint`] was called): `true`
    /// stops the wasm with an `interrupt` trap, `false` lets it go on. An embedder uses it to
    /// let its own runtime act while wasm runs long (other threads, signals, timeouts).
    pub fn set_safepoint_hook(&self, hook: impl Fn() -> bool + 'static) -> Result<()> {
        let _entered = self.inner.enter()?;
        // SAFETY: inside the store, this thread is the only one touching the hook (the
        // builtin reads it on the thread running wasm, which is inside the store too).
        unsafe { *(*self.inner.runtime()).safepoint.get() = Some(Box::new(hook)) };
        Ok(())
    }

    /// Makes a thread that finds the store in use by another call `wait`, then try again,
    /// instead of failing with `StoreBusy`, until `wait` returns `false` (then it fails).
    /// `wait` is given the number of times it was called before for this entry; it should
    /// block a little (a millisecond, say) and return `false` when the waiting thread is
    /// asked to stop. Set once; later calls change nothing.
    pub fn set_busy_wait(&self, wait: fn(u32) -> bool) {
        let _ = self.inner.busy_wait.set(wait);
    }

    /// Asks wasm running in this store for a safepoint every 10 ms, where the hook of
    /// [`set_safepoint_hook`](Store::set_safepoint_hook) runs, from one timer thread for the
    /// process (started again in a forked child). Calls that end sooner never reach one.
    pub fn enable_periodic_safepoints(&self) {
        let inner = &self.inner;
        inner
            .safepoints
            .get_or_init(|| crate::safepoints::watch(inner.interrupt(), &inner.owner));
    }

    /// A time limit for each call into the store from the host (`None`: no limit): a call
    /// still running when it passes traps with [`TrapCode::Timeout`](crate::TrapCode), within
    /// milliseconds, tight loops included. Wasm the call reaches through host functions counts
    /// toward the same limit.
    pub fn set_call_timeout(&self, timeout: Option<std::time::Duration>) {
        let nanos = timeout.map_or(0, |t| t.as_nanos().clamp(1, u64::MAX as u128) as u64);
        self.inner.call_timeout.store(nanos, Ordering::Relaxed);
    }

    /// Gives the store `fuel` units to run on, replacing what was left, and makes every
    /// instance created in it from now on run code that consumes fuel: one unit per wasm
    /// instruction (block markers, `nop` and `drop` are free). A call that runs out traps with
    /// [`TrapCode::OutOfFuel`](crate::TrapCode) at the next function entry or loop iteration.
    /// Instances created before the first call consume none. The module's metered code is
    /// compiled on first use (without fuel, code has no trace of metering).
    pub fn set_fuel(&self, fuel: u64) -> Result<()> {
        let _entered = self.inner.enter()?;
        self.inner.metered.store(true, Ordering::Relaxed);
        // SAFETY: inside the store, the only thread touching the runtime block.
        unsafe { (*self.inner.runtime()).fuel = -(fuel.min(i64::MAX as u64) as i64) };
        Ok(())
    }

    /// The fuel left, or `None` if [`set_fuel`](Store::set_fuel) was never called.
    pub fn fuel(&self) -> Result<Option<u64>> {
        let _entered = self.inner.enter()?;
        if !self.inner.metered() {
            return Ok(None);
        }
        // SAFETY: inside the store, the only thread touching the runtime block.
        let consumed = unsafe { (*self.inner.runtime()).fuel };
        Ok(Some(consumed.min(0).unsigned_abs()))
    }

    /// Adds `fuel` units to what is left (a host function may refill the call that called
    /// it) and returns the new amount; an error if the store has no fuel.
    pub fn add_fuel(&self, fuel: u64) -> Result<u64> {
        let _entered = self.inner.enter()?;
        if !self.inner.metered() {
            return Err(Error::Usage(
                "cannot add fuel: this instance's store runs without fuel (give it fuel when it is made)".into(),
            ));
        }
        // SAFETY: inside the store, the only thread touching the runtime block.
        let consumed = unsafe { &mut (*self.inner.runtime()).fuel };
        // Overconsumption (the last block before the check) is forgiven: fuel starts from 0.
        *consumed = (*consumed).min(0).saturating_sub(fuel.min(i64::MAX as u64) as i64);
        Ok(consumed.unsigned_abs())
    }

    /// A cap on the bytes the store's linear memories take together (`None`: no cap but the
    /// memories' own maximums). Past it, `memory.grow` returns -1 as the spec allows,
    /// `Memory::grow` fails, and instantiating a module whose memories' minimum does not fit
    /// fails with an error that says so. Memories already larger keep their size.
    pub fn set_memory_limit(&self, bytes: Option<usize>) {
        self.inner.memory_budget.set_limit(bytes);
    }

    /// The cap set by [`set_memory_limit`](Store::set_memory_limit).
    pub fn memory_limit(&self) -> Option<usize> {
        self.inner.memory_budget.limit()
    }

    /// A handle that stops wasm running in this store, from another thread or a signal handler.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            inner: self.inner.clone(),
        }
    }

    pub(crate) fn same(a: &Arc<StoreInner>, b: &Arc<StoreInner>) -> bool {
        Arc::ptr_eq(a, b)
    }
}

/// Setting the flag makes wasm code in the store trap with [`TrapCode::Interrupt`] at its
/// next function entry or loop iteration. The flag is cleared when that trap is reported.
///
/// [`TrapCode::Interrupt`]: crate::TrapCode::Interrupt
#[derive(Clone)]
pub struct InterruptHandle {
    inner: Arc<StoreInner>,
}

impl InterruptHandle {
    /// Async-signal-safe: atomic stores only.
    pub fn interrupt(&self) {
        self.inner.interrupt().request(|_| Some(INTERRUPT));
    }

    /// Makes wasm running in the store call the store's safepoint hook at its next function
    /// entry or loop iteration (nothing happens without a hook). An interrupt already asked
    /// for stays. Async-signal-safe.
    pub fn request_safepoint(&self) {
        self.inner.interrupt().request(|flag| (flag == 0).then_some(SAFEPOINT));
    }
}
