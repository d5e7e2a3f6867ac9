//! Per-call time limits (`Store::set_call_timeout`): one timer thread for the process keeps
//! the deadlines of the calls running now, and when one passes sets its store's interrupt flag
//! to `TIMEOUT`, which the wasm sees at its next function entry or loop iteration.

use crate::timers::ForkGuard;
use crate::vm::vmctx::{VMInterrupt, INTERRUPT, TIMEOUT};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What a deadline needs of the store whose call it limits.
pub(crate) trait Timed: Send + Sync {
    /// The store's interrupt state, which the timer sets.
    fn interrupt(&self) -> &VMInterrupt;

    /// Records whether a call of the store has a deadline armed.
    ///
    /// # Safety
    /// The caller is inside the store.
    unsafe fn set_armed(&self, armed: bool);
}

pub(crate) struct Entry {
    id: u64,
    at: Instant,
    store: Arc<dyn Timed>,
}

struct Timer {
    entries: Mutex<Vec<Entry>>,
    changed: Condvar,
}

static TIMER: Timer = Timer {
    entries: Mutex::new(Vec::new()),
    changed: Condvar::new(),
};

/// Whether this process has the timer thread (a forked child has none of its parent's).
static RUNNING: AtomicBool = AtomicBool::new(false);

fn timer() -> &'static Timer {
    if !RUNNING.load(Ordering::Acquire) && !RUNNING.swap(true, Ordering::AcqRel) {
        crate::timers::guard_forks(ForkGuard {
            name: "deadlines",
            lock: || Box::new(lock()),
            forked,
        });
        let _ = std::thread::Builder::new().name("wasm-deadlines".into()).spawn(run);
    }
    &TIMER
}

/// The timer's lock, which `timers` also holds across a fork.
fn lock() -> MutexGuard<'static, Vec<Entry>> {
    TIMER.entries.lock().unwrap_or_else(|e| e.into_inner())
}

/// In a forked child: the next deadline starts a timer thread.
fn forked() {
    RUNNING.store(false, Ordering::Release);
}

fn run() {
    let timer = &TIMER;
    let mut entries = lock();
    loop {
        let now = Instant::now();
        entries.retain(|e| {
            if e.at <= now {
                // An interrupt already asked for stays what it is; a safepoint request gives
                // way (the timeout stops the wasm anyway).
                e.store.interrupt().request(|flag| (flag != INTERRUPT).then_some(TIMEOUT));
                false
            } else {
                true
            }
        });
        let next = entries.iter().map(|e| e.at).min();
        entries = match next {
            Some(at) => timer.changed.wait_timeout(entries, at - now).unwrap_or_else(|e| e.into_inner()).0,
            None => timer.changed.wait(entries).unwrap_or_else(|e| e.into_inner()),
        };
    }
}

/// While alive, the call it was made for has a deadline.
pub(crate) struct Deadline {
    id: u64,
    store: Arc<dyn Timed>,
}

/// A deadline `after` from now for the call running in `store`.
pub(crate) fn arm(store: Arc<dyn Timed>, after: Duration) -> Deadline {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let timer = timer();
    let at = Instant::now() + after;
    let mut entries = timer.entries.lock().unwrap_or_else(|e| e.into_inner());
    let earliest = entries.iter().all(|e| e.at > at);
    entries.push(Entry { id, at, store: store.clone() });
    drop(entries);
    // SAFETY: `arm` is called inside the store (see `StoreInner::deadline`).
    unsafe { store.set_armed(true) };
    if earliest {
        timer.changed.notify_one();
    }
    Deadline { id, store }
}

/// Forgets the deadline of `store`'s call that will never return (see `store::Hold`).
pub(crate) fn disarm_abandoned(store: &dyn Timed) {
    // SAFETY: the caller leaves the store's last entry, as the owner or in its stead.
    unsafe { store.set_armed(false) };
    lock().retain(|e| !std::ptr::addr_eq(Arc::as_ptr(&e.store), store));
    store.interrupt().clear_if(TIMEOUT);
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // SAFETY: the call this deadline was armed for ends on the thread inside the store.
        unsafe { self.store.set_armed(false) };
        lock().retain(|e| e.id != self.id);
        // The deadline may have passed just as the call returned: the next call must not
        // time out for it.
        self.store.interrupt().clear_if(TIMEOUT);
    }
}
