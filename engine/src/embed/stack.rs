//! Which stack wasm runs on. The engine knows the bounds of each thread's own stack, and stops
//! recursion in wasm with a `stack_overflow` trap well before its end. On a stack it does not
//! know (a fiber's, a coroutine's) it can only assume 256 KiB below the entry point, too much
//! for a small fiber stack or one mostly used already: a binding that knows the fiber running
//! says so here around each call into wasm.

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
