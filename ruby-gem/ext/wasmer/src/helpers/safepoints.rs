//! Keeping Ruby responsive while wasm runs. Wasm runs holding the GVL (calls are too short
//! to pay for releasing it), so a timer thread asks every store running wasm for a safepoint
//! every 10 ms (`request_safepoint`); there, the store's hook ([`hook`]) does what Ruby does
//! between two lines of Ruby: `rb_thread_schedule`, which lets other threads take the GVL and
//! handles this thread's interrupts, running `trap` handlers and raising for `Thread#raise`
//! (so `Timeout`), `Thread#kill` or a signal (Ctrl-C, SIGTERM). A raise is caught there, by
//! `rb_protect` (not over the wasm frames), kept, and stops the wasm with an `interrupt` trap;
//! the export call then raises it (`errors::from_engine`). Nothing is added to calls that do
//! not run long.

use crate::errors::HostError;
use crate::store::Shared;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// How often a store running wasm reaches a safepoint.
const PERIOD: Duration = Duration::from_millis(10);

static WATCHED: Mutex<Vec<Weak<Shared>>> = Mutex::new(Vec::new());

/// Watches the store of `shared` from now on (until it is freed).
pub fn watch(shared: &Arc<Shared>) {
    let mut watched = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
    // One timer thread per process: a forked child (a preforking server's worker) has none
    // of its parent's threads, so it starts its own.
    let pid = std::process::id();
    if TIMER_PID.swap(pid, Ordering::Relaxed) != pid {
        watched.retain(|w| w.strong_count() > 0);
        let _ = std::thread::Builder::new().name("wasmer-safepoints".into()).spawn(tick);
    }
    watched.push(Arc::downgrade(shared));
}

/// The process whose timer thread runs (0: none yet).
static TIMER_PID: AtomicU32 = AtomicU32::new(0);

fn tick() {
    loop {
        std::thread::sleep(PERIOD);
        let mut watched = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
        watched.retain(|w| match w.upgrade() {
            Some(shared) => {
                if shared.is_running() {
                    shared.interrupt.request_safepoint();
                }
                true
            }
            None => false,
        });
    }
}

thread_local! {
    /// What Ruby raised at a safepoint of this thread, until the export call raises it.
    static PENDING: RefCell<Option<HostError>> = const { RefCell::new(None) };
}

/// The safepoint hook of every store: yields the GVL and handles interrupts as Ruby does;
/// `true` (stop the wasm) when that raised. Runs on the thread running the wasm, which holds
/// the GVL.
pub fn hook() -> bool {
    // SAFETY: this thread holds the GVL (it runs wasm called from Ruby); whatever Ruby raises
    // or throws in there stops at `protect`, whose frame is above the wasm frames.
    let scheduled = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_thread_schedule();
        rb_sys::Qnil as rb_sys::VALUE
    });
    match scheduled {
        Ok(_) => false,
        Err(raised) => {
            PENDING.with(|p| *p.borrow_mut() = Some(HostError::new(raised)));
            true
        }
    }
}

/// What Ruby raised at a safepoint of this thread, if anything: taken by the export call
/// that an `interrupt` trap ended.
pub fn take_pending() -> Option<magnus::Error> {
    PENDING.with(|p| p.borrow_mut().take()).map(HostError::into_error)
}
