//! Keeping PHP's signal handlers working while wasm runs. With `pcntl_async_signals(true)`, a
//! signal makes pcntl queue it and set `EG(vm_interrupt)`; PHP's VM runs the queued handlers
//! when it next checks that flag, between two opcodes, which never happens while wasm runs.
//! The engine's timer asks a store running wasm for a safepoint every 10 ms
//! (`Store::enable_periodic_safepoints`); there [`hook`] does what the VM would: it clears the
//! flag and calls `zend_interrupt_function`, so the handlers run (and may call
//! `$instance->interrupt()`). A handler that throws or exits stops the wasm with an
//! `interrupt` trap, and the export call throws that exception (or bails out) instead.
//! Calls shorter than 10 ms never reach a safepoint.
//!
//! pcntl runs the handlers with every signal blocked. A trap in wasm called from a handler
//! then raises a blocked SIGILL, SIGSEGV, SIGBUS or SIGFPE, and the kernel kills the process.
//! So `zend_interrupt_function`, through which pcntl runs async handlers, and the PHP function
//! `pcntl_signal_dispatch()` are wrapped to count the dispatches under way
//! ([`install_dispatch_hook`]), and a wasm call made meanwhile unblocks those four signals for
//! its duration ([`TrapSignals`]). Other calls pay a load. (Handlers run by `declare(ticks)`
//! are dispatched from within pcntl, out of reach.)

use crate::errors::Raise;
use crate::helpers::running::Running;
use crate::helpers::zend_api::zend_atomic_bool_load;
use ext_php_rs::ffi::{
    compiler_globals, zend_atomic_bool_store, zend_execute_data, zend_function, zend_hash_str_find_ptr_lc,
    zend_interrupt_function, zif_handler, zval, ZEND_INTERNAL_FUNCTION,
};
use ext_php_rs::zend::{bailout, try_catch, ExecutorGlobals};
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

thread_local! {
    /// What a handler raised at a safepoint, until the export call raises it.
    static PENDING: RefCell<Option<Raise>> = const { RefCell::new(None) };
}

/// The safepoint hook of every store; `true` stops the wasm.
pub fn hook() -> bool {
    let execute_data = {
        // The guard is let go before PHP code runs, which may want the globals too.
        let mut globals = ExecutorGlobals::get_mut();
        // SAFETY: the executor globals of this (the only PHP) thread; the flags are atomics.
        let (interrupted, timed_out) = unsafe {
            (zend_atomic_bool_load(&globals.vm_interrupt), zend_atomic_bool_load(&globals.timed_out))
        };
        // A timeout is the VM's to report, once the call has returned (see `running`).
        if !interrupted || timed_out {
            return false;
        }
        // SAFETY: as above.
        unsafe { zend_atomic_bool_store(&mut globals.vm_interrupt, false) };
        globals.current_execute_data
    };
    // SAFETY: set by extensions at startup (pcntl's dispatcher), read on the PHP thread.
    let Some(interrupt) = (unsafe { zend_interrupt_function }) else { return false };
    let _paused = Running::pause();
    // SAFETY: what the VM does when it sees `vm_interrupt`, on the PHP thread, at a point
    // where PHP code may run (as in an import); a bailout stops at `try_catch`, above the
    // wasm frames.
    let called = try_catch(AssertUnwindSafe(|| unsafe { interrupt(execute_data) }));
    let raised = match called {
        Err(_) => Some(Raise::Bailout),
        Ok(()) => ExecutorGlobals::take_exception().map(Raise::Object),
    };
    let stop = raised.is_some();
    PENDING.with(|p| *p.borrow_mut() = raised);
    stop
}

/// What a handler raised at a safepoint of the call that an `interrupt` trap just ended.
pub fn take_pending() -> Option<Raise> {
    PENDING.with(|p| p.borrow_mut().take())
}

type InterruptFn = unsafe extern "C" fn(*mut zend_execute_data);

/// How many signal dispatches (`zend_interrupt_function` and `pcntl_signal_dispatch()`
/// calls) are under way.
static DISPATCHING: AtomicU32 = AtomicU32::new(0);

static mut PREVIOUS_INTERRUPT: Option<InterruptFn> = None;

/// The handler of the PHP function `pcntl_signal_dispatch()`, when wrapped.
static mut PREVIOUS_DISPATCH: zif_handler = None;

/// Whether `on_interrupt` is `zend_interrupt_function`.
static INSTALLED: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn on_interrupt(execute_data: *mut zend_execute_data) {
    // SAFETY: set once by `install_dispatch_hook` on the PHP thread, which is this one.
    let Some(previous) = (unsafe { PREVIOUS_INTERRUPT }) else { return };
    DISPATCHING.fetch_add(1, Ordering::Relaxed);
    // SAFETY: what the VM called us for, passed on; a bailout (a handler's `exit`) is caught
    // so that the count is right, then goes on.
    let called = try_catch(AssertUnwindSafe(|| unsafe { previous(execute_data) }));
    DISPATCHING.fetch_sub(1, Ordering::Relaxed);
    if called.is_err() {
        // SAFETY: resumes the bailout caught above, on the PHP thread.
        unsafe { bailout() }
    }
}

unsafe extern "C" fn on_dispatch(execute_data: *mut zend_execute_data, return_value: *mut zval) {
    // SAFETY: set once by `install_dispatch_hook` on the PHP thread, which is this one.
    let Some(previous) = (unsafe { PREVIOUS_DISPATCH }) else { return };
    DISPATCHING.fetch_add(1, Ordering::Relaxed);
    // SAFETY: as in `on_interrupt`.
    let called = try_catch(AssertUnwindSafe(|| unsafe { previous(execute_data, return_value) }));
    DISPATCHING.fetch_sub(1, Ordering::Relaxed);
    if called.is_err() {
        // SAFETY: as in `on_interrupt`.
        unsafe { bailout() }
    }
}

/// RINIT: wraps the `zend_interrupt_function` extensions installed at startup (pcntl's) and
/// `pcntl_signal_dispatch()`, once. Not at MINIT: pcntl may start after this extension.
pub fn install_dispatch_hook() {
    if INSTALLED.swap(true, Ordering::Relaxed) {
        return;
    }
    // SAFETY: startup state, written on the PHP thread before any request code runs; the
    // function table holds `zend_function`s, and an internal one has a handler.
    unsafe {
        let previous = zend_interrupt_function;
        if previous.is_some() {
            PREVIOUS_INTERRUPT = previous;
            zend_interrupt_function = Some(on_interrupt);
        }
        let dispatch = pcntl_signal_dispatch();
        if !dispatch.is_null() {
            PREVIOUS_DISPATCH = (*dispatch).internal_function.handler;
            (*dispatch).internal_function.handler = Some(on_dispatch);
        }
    }
}

/// The PHP function `pcntl_signal_dispatch()`, if pcntl is loaded.
///
/// # Safety
/// On the PHP thread, outside request code.
unsafe fn pcntl_signal_dispatch() -> *mut zend_function {
    let name = "pcntl_signal_dispatch";
    // SAFETY: the function table holds `zend_function`s; the caller promises the thread.
    unsafe {
        let f = zend_hash_str_find_ptr_lc(compiler_globals.function_table, name.as_ptr().cast(), name.len())
            .cast::<zend_function>();
        if !f.is_null() && u32::from((*f).type_) == ZEND_INTERNAL_FUNCTION {
            f
        } else {
            std::ptr::null_mut()
        }
    }
}

/// MSHUTDOWN: puts the wrapped function back; the library may be unloaded after this.
pub fn remove_dispatch_hook() {
    // SAFETY: as for `install_dispatch_hook`.
    unsafe {
        if !INSTALLED.swap(false, Ordering::Relaxed) {
            return;
        }
        let previous = PREVIOUS_INTERRUPT;
        if previous.is_some() {
            zend_interrupt_function = previous;
        }
        // Gone already if pcntl shut down first.
        let dispatch = pcntl_signal_dispatch();
        let previous = PREVIOUS_DISPATCH;
        if !dispatch.is_null() && previous.is_some() {
            (*dispatch).internal_function.handler = previous;
        }
    }
}

/// While alive, the signals traps raise can be delivered on this thread, if a signal dispatch
/// had them blocked.
pub struct TrapSignals(Option<libc::sigset_t>);

/// Whether a signal dispatch is under way.
#[inline]
pub fn dispatching() -> bool {
    DISPATCHING.load(Ordering::Relaxed) != 0
}

impl TrapSignals {
    pub fn deliverable() -> TrapSignals {
        if DISPATCHING.load(Ordering::Relaxed) == 0 {
            return TrapSignals(None);
        }
        // SAFETY: plain sigset operations on values owned here; the old mask is written by
        // pthread_sigmask before it is read.
        unsafe {
            let mut traps: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut traps);
            for signal in [libc::SIGILL, libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE] {
                libc::sigaddset(&mut traps, signal);
            }
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &traps, &mut old);
            TrapSignals(Some(old))
        }
    }
}

impl Drop for TrapSignals {
    #[inline]
    fn drop(&mut self) {
        if let Some(old) = &self.0 {
            // SAFETY: restores the mask saved by `deliverable`.
            unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, old, std::ptr::null_mut()) };
        }
    }
}
