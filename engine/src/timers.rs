//! What the timer threads (`safepoints`, `deadline`) share: a fork must not happen while one
//! of them holds its lock, or the child, which has no such thread, would wait for that lock
//! forever. Before a fork the forking thread takes every registered timer's lock, and lets
//! them go after it in parent and child alike; the child then starts timer threads of its
//! own when it needs them. Timers register themselves, so this module knows none of them.

use std::any::Any;
use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard};

/// A timer thread's part in a fork.
#[derive(Clone, Copy)]
pub(crate) struct ForkGuard {
    pub name: &'static str,
    /// Takes the timer's lock; the guard is held across the fork.
    pub lock: fn() -> Box<dyn Any>,
    /// Runs in the child, which has no timer thread.
    pub forked: fn(),
}

/// The registered timers. Held across a fork too, so none registers (and starts a thread
/// holding a lock not taken) while it happens.
static GUARDS: Mutex<Vec<ForkGuard>> = Mutex::new(Vec::new());

fn guards() -> MutexGuard<'static, Vec<ForkGuard>> {
    GUARDS.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the forking thread holds across `fork`: the timers, and their locks' guards.
type Held = (Vec<ForkGuard>, Vec<Box<dyn Any>>);

thread_local! {
    static HELD: RefCell<Held> = const { RefCell::new((Vec::new(), Vec::new())) };
}

extern "C" fn before_fork() {
    let registered = guards();
    let timers = registered.clone();
    HELD.with_borrow_mut(|(held_timers, locks)| {
        locks.push(Box::new(registered));
        locks.extend(timers.iter().map(|t| (t.lock)()));
        *held_timers = timers;
    });
}

extern "C" fn after_fork_in_parent() {
    HELD.with_borrow_mut(|(timers, locks)| {
        timers.clear();
        locks.clear();
    });
}

extern "C" fn after_fork_in_child() {
    let timers = HELD.with_borrow_mut(|(timers, locks)| {
        locks.clear();
        std::mem::take(timers)
    });
    for timer in timers {
        (timer.forked)();
    }
}

/// Makes forks wait for `timer`'s lock; called before its thread starts.
pub(crate) fn guard_forks(timer: ForkGuard) {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    // SAFETY: the handlers only take and release the timers' locks on the forking thread.
    REGISTER.call_once(|| unsafe {
        libc::pthread_atfork(Some(before_fork), Some(after_fork_in_parent), Some(after_fork_in_child));
    });
    let mut registered = guards();
    if !registered.iter().any(|t| t.name == timer.name) {
        registered.push(timer);
    }
}
