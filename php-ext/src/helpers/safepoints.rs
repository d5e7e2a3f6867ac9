//! Keeping PHP's signal handlers working while wasm runs. With `pcntl_async_signals(true)`, a
//! signal makes pcntl queue it and set `EG(vm_interrupt)`; PHP's VM runs the queued handlers
//! when it next checks that flag, between two opcodes, which never happens while wasm runs.
//! The engine's timer asks a store running wasm for a safepoint every 10 ms
//! (`Store::enable_periodic_safepoints`); there [`hook`] does what the VM would: it clears the
//! flag and calls `zend_interrupt_function`, so the handlers run (and may call
//! `$instance->interrupt()`). A handler that throws or exits stops the wasm with an
//! `interrupt` trap, and the export call throws that exception (or bails out) instead.
//! Calls shorter than 10 ms never reach a safepoint.

use crate::errors::Raise;
use crate::helpers::running::Running;
use crate::helpers::zend_api::zend_atomic_bool_load;
use ext_php_rs::ffi::{zend_atomic_bool_store, zend_interrupt_function};
use ext_php_rs::zend::{try_catch, ExecutorGlobals};
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;

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
