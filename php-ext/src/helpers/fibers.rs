//! The C stack of the PHP fiber running now. Wasm called from a fiber runs on that fiber's
//! stack (2 MiB by default, `fiber.stack_size`), which the engine cannot know by itself: told
//! its bounds (`engine::embed::stack`), it stops recursion there with a `stack_overflow` trap
//! instead of running off the end.

use ext_php_rs::ffi::executor_globals;
use std::ffi::c_void;

/// The first fields of `zend_fiber_context` (Zend/zend_fibers.h, PHP 8.1 to 8.4), which the
/// bindings leave opaque.
#[repr(C)]
struct FiberContext {
    handle: *mut c_void,
    kind: *mut c_void,
    function: *mut c_void,
    cleanup: *mut c_void,
    stack: *const FiberStack,
}

/// The first fields of `zend_fiber_stack` (Zend/zend_fibers.c): the usable stack, above its
/// guard page.
#[repr(C)]
struct FiberStack {
    pointer: *mut c_void,
    size: usize,
}

/// Whether a fiber is running.
#[inline]
pub fn in_fiber() -> bool {
    // SAFETY: the executor globals of this (the only PHP) thread.
    unsafe { executor_globals.current_fiber_context != executor_globals.main_fiber_context }
}

/// The bounds of the running fiber's stack; `None` outside fibers.
pub fn current_stack() -> Option<(usize, usize)> {
    // SAFETY: the executor globals of this (the only PHP) thread; a fiber context other than
    // the main one is a `zend_fiber_context` with a stack while it runs.
    unsafe {
        let current = executor_globals.current_fiber_context;
        if current.is_null() || !in_fiber() {
            return None;
        }
        let stack = (*current.cast::<FiberContext>()).stack;
        if stack.is_null() {
            return None;
        }
        let low = (*stack).pointer as usize;
        Some((low, low + (*stack).size))
    }
}
