//! Periodic safepoints (`Store::enable_periodic_safepoints`): one timer thread for the
//! process asks every such store that a thread is inside for a safepoint every 10 ms, so that
//! an embedder's hook runs while wasm runs long (Ruby's thread switches and interrupts, PHP's
//! signal handlers). Calls that end sooner never reach one and pay nothing.
//!
//! The thread never holds a store: it holds a `Target` per store, which the store empties
//! when it is freed (under the target's lock), so the thread cannot race with the freeing, nor
//! ever be the one that frees a store (whose host functions may hold values of a language
//! that must be released on its own thread).

use crate::timers::ForkGuard;
use crate::vm::vmctx::{VMInterrupt, SAFEPOINT};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often a store running wasm reaches a safepoint.
pub(crate) const PERIOD: Duration = Duration::from_millis(10);

/// Where the timer finds a store: its interrupt state and its owner word, while it lives.
pub(crate) struct Target {
    store: Mutex<Option<(*const VMInterrupt, *const AtomicUsize)>>,
}

// SAFETY: the pointers are only dereferenced under the lock, and the store clears them under
// the same lock before it frees what they point to.
unsafe impl Send for Target {}
// SAFETY: as for Send.
unsafe impl Sync for Target {}

impl Target {
    /// The store whose flag and owner these are forgets itself: after this returns, the timer
    /// no longer touches them.
    pub fn clear(&self) {
        *self.store.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

static WATCHED: Mutex<Vec<Arc<Target>>> = Mutex::new(Vec::new());

/// The timer's lock, which `timers` also holds across a fork.
fn lock() -> std::sync::MutexGuard<'static, Vec<Arc<Target>>> {
    WATCHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process whose timer thread runs (0: none yet).
static TIMER_PID: AtomicU32 = AtomicU32::new(0);

/// Watches the store with this interrupt state and owner word until `Target::clear`.
pub(crate) fn watch(interrupt: &VMInterrupt, owner: &AtomicUsize) -> Arc<Target> {
    let target = Arc::new(Target {
        store: Mutex::new(Some((interrupt, owner))),
    });
    crate::timers::guard_forks(ForkGuard {
        name: "safepoints",
        lock: || Box::new(lock()),
        // The child sees its own pid differ from the timer's, and starts a thread.
        forked: || {},
    });
    let mut watched = lock();
    // A forked child (a preforking server's worker) has none of its parent's threads.
    let pid = std::process::id();
    if TIMER_PID.swap(pid, Ordering::Relaxed) != pid {
        let _ = std::thread::Builder::new().name("wasm-safepoints".into()).spawn(tick);
    }
    watched.push(target.clone());
    target
}

fn tick() {
    loop {
        std::thread::sleep(PERIOD);
        let mut watched = lock();
        watched.retain(|target| {
            let store = target.store.lock().unwrap_or_else(|e| e.into_inner());
            let Some((interrupt, owner)) = *store else { return false };
            // SAFETY: the store is alive: it clears the target (under this lock) before
            // it frees its runtime block and owner word.
            let (interrupt, owner) = unsafe { (&*interrupt, &*owner) };
            if owner.load(Ordering::Relaxed) != 0 {
                // Only a clear flag: an interrupt or a timeout stays what it is.
                interrupt.request(|flag| (flag == 0).then_some(SAFEPOINT));
            }
            true
        });
    }
}
