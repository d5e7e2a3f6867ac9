//! What an instance and every object taken from it share (`Shared`): the Ruby instance
//! object, the objects wasm holds as externrefs, and which thread runs wasm in the store.

use crate::errors::wasmer_error;
use magnus::{gc::Marker, prelude::*, value::Opaque, Error, RArray, Ruby, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// What an instance and every object taken from it (functions, memories, globals, tables,
/// views) share: the Ruby instance object, the objects wasm holds as externrefs, and which
/// thread is running wasm in the store.
pub struct Shared {
    /// The `Wasmer::Instance`, set as soon as it exists. Objects taken from the instance mark
    /// it, so the Ruby callables its host functions call live as long as any of them.
    pub(crate) instance: OnceLock<Opaque<Value>>,
    /// Ruby objects passed to wasm as externref: the externref is the index. A Ruby Array,
    /// on the stack of Instance.new while it runs (the start function may already store
    /// externrefs), then marked by the instance.
    pub(crate) externs: Opaque<RArray>,
    /// The thread running wasm in this store (a thread-local address), 0 when none.
    running_thread: AtomicUsize,
    depth: AtomicUsize,
}

/// The current Ruby thread (a native thread of its own in Ruby 3.1).
#[inline]
fn thread_token() -> usize {
    unsafe { rb_sys::rb_thread_current() as usize }
}

/// While alive, the current thread is running wasm in the store.
pub struct Running<'a>(&'a Shared);

impl Drop for Running<'_> {
    #[inline]
    fn drop(&mut self) {
        // Only the thread holding Ruby's GVL gets here: plain loads and stores suffice
        // (no locked read-modify-write on the hot path).
        let depth = self.0.depth.load(Ordering::Relaxed) - 1;
        self.0.depth.store(depth, Ordering::Relaxed);
        if depth == 0 {
            self.0.running_thread.store(0, Ordering::Relaxed);
        }
    }
}

impl Shared {
    pub fn new(externs: RArray) -> Shared {
        Shared {
            instance: OnceLock::new(),
            externs: Opaque::from(externs),
            running_thread: AtomicUsize::new(0),
            depth: AtomicUsize::new(0),
        }
    }

    /// Marks the Ruby instance object: for every object taken from it.
    pub fn mark_instance(&self, marker: &Marker) {
        if let Some(v) = self.instance.get() {
            marker.mark(*v);
        }
    }

    /// Claims the store for the current thread. A store runs wasm on one thread at a time:
    /// another Ruby thread calling in while the first is inside an import gets an error
    /// instead of sharing its stack limit.
    #[inline]
    pub fn enter(&self, ruby: &Ruby) -> Result<Running<'_>, Error> {
        let me = thread_token();
        let owner = self.running_thread.load(Ordering::Relaxed);
        if owner != 0 && owner != me {
            return Err(wasmer_error(
                ruby,
                "this instance is running wasm in another thread; an instance runs on one thread at a time",
            ));
        }
        self.running_thread.store(me, Ordering::Relaxed);
        self.depth.store(self.depth.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Ok(Running(self))
    }

    pub fn intern_extern(&self, v: Value) -> u64 {
        let ruby = unsafe { Ruby::get_unchecked() };
        let externs = ruby.get_inner(self.externs);
        // Pushing to our own unfrozen Array does not fail.
        let _ = externs.push(v);
        (externs.len() - 1) as u64
    }

    pub fn extern_value(&self, ruby: &Ruby, index: u64) -> Value {
        let externs = ruby.get_inner(self.externs);
        externs
            .entry::<Value>(index as isize)
            .unwrap_or_else(|_| ruby.qnil().as_value())
    }
}

