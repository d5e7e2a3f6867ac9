//! Which stack wasm runs on. The engine knows the bounds of each thread's own stack, and stops
//! recursion in wasm with a `stack_overflow` trap well before its end. On a stack it does not
//! know (a fiber's, a coroutine's) it can only assume 256 KiB below the entry point, too much
//! for a small fiber stack or one mostly used already. A binding that knows cheaply which fiber
//! runs says so around each call into wasm ([`on_stack`], PHP); one that can only find the
//! bounds of the stack it is on registers a finder, asked only when the engine does not know
//! the stack ([`set_stack_finder`], Ruby).

/// While alive, the current thread runs on the stack given to [`on_stack`].
pub struct OnStack {
    previous: Option<(usize, usize)>,
}

/// Wasm entered on this thread until the guard is dropped runs on the stack of addresses
/// `low..high` (the usable part, above any guard page).
pub fn on_stack(low: usize, high: usize) -> OnStack {
    OnStack {
        previous: crate::vm::traps::set_current_stack(Some((low, high))),
    }
}

impl Drop for OnStack {
    fn drop(&mut self) {
        crate::vm::traps::set_current_stack(self.previous);
    }
}

/// Where the engine asks for the usable bounds `(low, high)` of a stack it does not know, given
/// an address on it, which may already be below `low` (then wasm gets no room); `None`:
/// unknown. Set once, by the binding, before any wasm runs.
pub fn set_stack_finder(finder: fn(usize) -> Option<(usize, usize)>) {
    crate::vm::traps::set_stack_finder(finder);
}
