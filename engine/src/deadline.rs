//! Per-call time limits (`Store::set_call_timeout`): one timer thread for the process keeps
//! the deadlines of the calls running now, and when one passes sets its store's interrupt flag
//! to `TIMEOUT`, which the wasm sees at its next function entry or loop iteration.

use crate::store::StoreInner;
use crate::vm::vmctx::{INTERRUPT, TIMEOUT};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub(crate) struct Entry {
    id: u64,
    at: Instant,
    store: Arc<StoreInner>,
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
        crate::timers::guard_forks();
        let _ = std::thread::Builder::new().name("wasm-deadlines".into()).spawn(run);
    }
    &TIMER
}

/// The timer's lock, for `timers` to hold across a fork.
pub(crate) fn lock() -> MutexGuard<'static, Vec<Entry>> {
    TIMER.entries.lock().unwrap_or_else(|e| e.into_inner())
}

/// In a forked child: the next deadline starts a timer thread.
pub(crate) fn forked() {
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
    store: Arc<StoreInner>,
}

/// A deadline `after` from now for the call running in `store`.
pub(crate) fn arm(store: &Arc<StoreInner>, after: Duration) -> Deadline {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let timer = timer();
    let at = Instant::now() + after;
    let mut entries = timer.entries.lock().unwrap_or_else(|e| e.into_inner());
    let earliest = entries.iter().all(|e| e.at > at);
    entries.push(Entry { id, at, store: store.clone() });
    drop(entries);
    // SAFETY: `arm` is called inside the store (see `StoreInner::deadline`).
    unsafe { *store.deadline_armed.get() = true };
    if earliest {
        timer.changed.notify_one();
    }
    Deadline { id, store: store.clone() }
}

/// Forgets the deadline of `store`'s call that will never return (see `store::Hold`).
pub(crate) fn disarm_abandoned(store: &StoreInner) {
    // SAFETY: the caller leaves the store's last entry, as the owner or in its stead.
    unsafe { *store.deadline_armed.get() = false };
    lock().retain(|e| !std::ptr::eq(Arc::as_ptr(&e.store), store));
    store.interrupt().clear_if(TIMEOUT);
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // SAFETY: the call this deadline was armed for ends on the thread inside the store.
        unsafe { *self.store.deadline_armed.get() = false };
        lock().retain(|e| e.id != self.id);
        // The deadline may have passed just as the call returned: the next call must not
        // time out for it.
        self.store.interrupt().clear_if(TIMEOUT);
    }
}
