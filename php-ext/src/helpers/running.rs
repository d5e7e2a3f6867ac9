//! Which store is running wasm right now, so that PHP's `max_execution_time` can stop it, and
//! the flag that stops a compile.
//!
//! PHP's timer signal handler calls `zend_on_timeout` and then waits for the VM to notice
//! the timeout, which it never does while wasm code runs. The hook installed here also sets
//! the interrupt flag of the store that is running: its wasm code traps with `interrupt` at
//! its next function entry or loop iteration, the export call returns, and PHP reports the
//! timeout as usual ("Maximum execution time of N seconds exceeded").

use crate::helpers::fibers;
use crate::helpers::safepoints::{self, TrapSignals};
use crate::helpers::zend_api;
use engine::embed::stack::OnStack;
use engine::InterruptHandle;
use std::os::raw::c_int;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// The interrupt handle of the innermost wasm call on this (the only PHP) thread.
static CURRENT: AtomicPtr<InterruptHandle> = AtomicPtr::new(ptr::null_mut());

static mut PREVIOUS_HOOK: Option<unsafe extern "C" fn(c_int)> = None;

/// Marks the store of `handle` as running until dropped; inside a signal handler, also makes
/// the signals of traps deliverable meanwhile, and in a fiber tells the engine its stack.
pub struct Running {
    previous: *mut InterruptHandle,
    /// Only for calls from a signal handler or a fiber (boxed, so that the common call
    /// carries one word for it).
    _unusual: Option<Box<Unusual>>,
}

/// What a call from a signal handler or a fiber needs besides.
struct Unusual {
    _signals: TrapSignals,
    _stack: Option<OnStack>,
}

impl Running {
    #[inline]
    pub fn enter(handle: &InterruptHandle) -> Running {
        // Not a swap: only a signal handler on this thread reads it concurrently.
        let previous = CURRENT.load(Ordering::Relaxed);
        CURRENT.store(ptr::from_ref(handle).cast_mut(), Ordering::Relaxed);
        let unusual = (safepoints::dispatching() || fibers::in_fiber()).then(unusual);
        Running {
            previous,
            _unusual: unusual,
        }
    }
}

#[cold]
#[inline(never)]
fn unusual() -> Box<Unusual> {
    Box::new(Unusual {
        _signals: TrapSignals::deliverable(),
        _stack: fibers::current_stack().map(|(low, high)| engine::embed::stack::on_stack(low, high)),
    })
}

impl Running {
    /// No store is running until dropped: while a host function runs PHP code, PHP's own
    /// timeout handling applies, and the store's flag is not left set behind it.
    #[inline]
    pub fn pause() -> Running {
        let previous = CURRENT.load(Ordering::Relaxed);
        CURRENT.store(ptr::null_mut(), Ordering::Relaxed);
        Running {
            previous,
            _unusual: None,
        }
    }
}

impl Drop for Running {
    #[inline]
    fn drop(&mut self) {
        CURRENT.store(self.previous, Ordering::Relaxed);
    }
}

/// Set by the timeout hook: stops a compile under way (`engine::embed::compile`'s cancel
/// flag), cleared before each compile.
pub static COMPILE_CANCEL: AtomicBool = AtomicBool::new(false);

/// Runs in a signal handler: atomic loads and stores only.
unsafe extern "C" fn on_timeout(seconds: c_int) {
    if let Some(previous) = PREVIOUS_HOOK {
        previous(seconds);
    }
    COMPILE_CANCEL.store(true, Ordering::Relaxed);
    let current = CURRENT.load(Ordering::Relaxed);
    if let Some(handle) = current.as_ref() {
        handle.interrupt();
    }
}

/// Whether PHP's time limit has run out (`EG(timed_out)`), so that the VM will report it.
pub fn timed_out() -> bool {
    let globals = ext_php_rs::zend::ExecutorGlobals::get();
    // SAFETY: the executor globals of this (the only PHP) thread; the flag is an atomic.
    unsafe { zend_api::zend_atomic_bool_load(&globals.timed_out) }
}

/// MINIT.
pub fn install_timeout_hook() {
    unsafe {
        PREVIOUS_HOOK = zend_api::zend_on_timeout;
        zend_api::zend_on_timeout = Some(on_timeout);
    }
}

/// MSHUTDOWN: the library may be unloaded after this.
pub fn remove_timeout_hook() {
    unsafe {
        zend_api::zend_on_timeout = PREVIOUS_HOOK;
    }
}
