//! What the two timer threads (`safepoints`, `deadline`) share: a fork must not happen while
//! one of them holds its lock, or the child, which has no such thread, would wait for that
//! lock forever. Before a fork the forking thread takes both locks, and lets them go after it
//! in parent and child alike; the child then starts timer threads of its own when it needs
//! them.

use std::any::Any;
use std::cell::RefCell;

thread_local! {
    /// The guards the forking thread holds across `fork`.
    static HELD: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
}

extern "C" fn before_fork() {
    HELD.with_borrow_mut(|held| {
        held.push(Box::new(crate::safepoints::lock()));
        held.push(Box::new(crate::deadline::lock()));
    });
}

extern "C" fn after_fork_in_parent() {
    HELD.with_borrow_mut(|held| held.clear());
}

extern "C" fn after_fork_in_child() {
    HELD.with_borrow_mut(|held| held.clear());
    crate::deadline::forked();
}

/// Makes forks wait for the timers' locks; called before a timer thread first starts.
pub(crate) fn guard_forks() {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    // SAFETY: the handlers only take and release the timers' locks on the forking thread.
    REGISTER.call_once(|| unsafe {
        libc::pthread_atfork(Some(before_fork), Some(after_fork_in_parent), Some(after_fork_in_child));
    });
}
