//! The store: owner of every instance, memory, table, global and host function created in it,
//! and of the runtime state (stack limit, interrupt flag) their code shares.

use crate::vm::VMRuntime;
use std::any::Any;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

pub(crate) struct StoreInner {
    runtime: Box<UnsafeCell<VMRuntime>>,
    /// Boxed so that their addresses, which generated code holds, never change. Freed with the
    /// store: a funcref or a table entry may point into any of them until then.
    objects: Mutex<Vec<Box<dyn Any>>>,
}

// The runtime block is written only by the thread running wasm in this store; the embedder
// promises one thread at a time (the bindings run under PHP's or Ruby's global lock). The
// interrupt flag is atomic and may be set from anywhere.
unsafe impl Send for StoreInner {}
unsafe impl Sync for StoreInner {}

impl StoreInner {
    pub fn runtime(&self) -> *mut VMRuntime {
        self.runtime.get()
    }

    /// Keeps `object` alive as long as the store and returns its fixed address.
    pub fn keep<T: 'static>(&self, object: T) -> *mut T {
        let mut boxed = Box::new(object);
        let ptr: *mut T = &mut *boxed;
        self.objects.lock().unwrap().push(boxed);
        ptr
    }
}

/// A set of wasm objects that can call each other. Cheap to clone; freed when the last
/// clone and the last object handle are dropped.
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Arc<StoreInner>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    pub fn new() -> Store {
        Store {
            inner: Arc::new(StoreInner {
                runtime: Box::new(UnsafeCell::new(VMRuntime {
                    stack_limit: 0,
                    interrupt: AtomicU32::new(0),
                })),
                objects: Mutex::new(Vec::new()),
            }),
        }
    }

    /// A handle that stops wasm running in this store, from another thread or a signal handler.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            inner: self.inner.clone(),
        }
    }

    pub(crate) fn same(a: &Arc<StoreInner>, b: &Arc<StoreInner>) -> bool {
        Arc::ptr_eq(a, b)
    }
}

/// Setting the flag makes wasm code in the store trap with [`TrapCode::Interrupt`] at its
/// next function entry or loop iteration. The flag is cleared when that trap is reported.
///
/// [`TrapCode::Interrupt`]: crate::TrapCode::Interrupt
#[derive(Clone)]
pub struct InterruptHandle {
    inner: Arc<StoreInner>,
}

impl InterruptHandle {
    /// Async-signal-safe: a single atomic store.
    pub fn interrupt(&self) {
        unsafe { &(*self.inner.runtime()).interrupt }.store(1, Ordering::Relaxed);
    }
}
