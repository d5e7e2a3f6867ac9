//! Keeping Ruby responsive while wasm runs. Wasm runs holding the GVL (calls are too short
//! to pay for releasing it), so the engine's timer asks every store running wasm for a
//! safepoint every 10 ms (`Store::enable_periodic_safepoints`); there, the store's hook
//! ([`hook`]) does what Ruby does between two lines of Ruby: `rb_thread_schedule`, which lets other threads take the GVL and
//! handles this thread's interrupts, running `trap` handlers and raising for `Thread#raise`
//! (so `Timeout`), `Thread#kill` or a signal (Ctrl-C, SIGTERM). A raise is caught there, by
//! `rb_protect` (not over the wasm frames), kept, and stops the wasm with an `interrupt` trap;
//! the export call then raises it (`errors::from_engine`). Nothing is added to calls that do
//! not run long.

use crate::errors::HostError;
use std::cell::RefCell;

thread_local! {
    /// What Ruby raised at a safepoint of this thread, until the export call raises it.
    static PENDING: RefCell<Option<HostError>> = const { RefCell::new(None) };
}

/// The safepoint hook of every store: yields the GVL and handles interrupts as Ruby does;
/// `true` (stop the wasm) when that raised. Runs on the thread running the wasm, which holds
/// the GVL.
pub fn hook() -> bool {
    // SAFETY: this thread holds the GVL (it runs wasm called from Ruby).
    raised(|| unsafe { rb_sys::rb_thread_schedule() })
}

/// How a thread waits for a store another thread is using (in an import, or at a safepoint;
/// `Store::set_busy_wait`): a millisecond's sleep without the GVL, as Ruby sleeps, so that
/// `Thread#raise`, `Timeout` and signals reach it. Their exception is kept, like a
/// safepoint's, and raised by the call that waited; `false` makes it give up.
///
/// The store may be held by a Fiber suspended inside an import that no one will resume, which
/// only the GC can tell (`fibers::FiberHold`), and the GC may not run while threads wait: so
/// while some Fiber holds a store, after 64 waits (some 70 ms), and after twice as many each
/// time, the waiting thread runs it.
pub fn wait(attempt: u32) -> bool {
    // SAFETY: called by the engine on a thread holding the GVL (it entered from Ruby).
    !raised(|| unsafe {
        if attempt >= 64 && attempt.is_power_of_two() && crate::helpers::fibers::any_held() {
            rb_sys::rb_gc_start();
        }
        rb_sys::rb_thread_wait_for(rb_sys::timeval { tv_sec: 0, tv_usec: 1000 })
    })
}

/// Runs `ruby` (calls into Ruby that may raise or throw, on a thread holding the GVL) under
/// `rb_protect`, whose frame is above any wasm frames: `true` when it raised, the exception
/// then kept for the call to raise (`take_pending`).
fn raised(ruby: impl FnOnce()) -> bool {
    let outcome = magnus::rb_sys::protect(|| {
        ruby();
        rb_sys::Qnil as rb_sys::VALUE
    });
    match outcome {
        Ok(_) => false,
        Err(raised) => {
            PENDING.with(|p| *p.borrow_mut() = Some(HostError::new(raised)));
            true
        }
    }
}

/// What Ruby raised at a safepoint of this thread or while it waited for a store, if
/// anything: taken by the call that an `interrupt` trap or `StoreBusy` ended.
pub fn take_pending() -> Option<magnus::Error> {
    PENDING.with(|p| p.borrow_mut().take()).map(HostError::into_error)
}
