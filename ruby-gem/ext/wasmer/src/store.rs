//! What an instance and every object taken from it share (`Shared`): the Ruby instance
//! object and the objects wasm holds as externrefs.

use magnus::{gc::Marker, prelude::*, value::Opaque, RArray, Ruby, Value};
use std::sync::OnceLock;

/// What an instance and every object taken from it (functions, memories, globals, tables,
/// views) share: the Ruby instance object and the objects wasm holds as externrefs. (Which
/// thread may use the store is the engine's business: a second thread waits for the first,
/// see `helpers::safepoints::wait`.)
pub struct Shared {
    /// The `Wasmer::Instance`, set as soon as it exists. Objects taken from the instance mark
    /// it, so the Ruby callables its host functions call live as long as any of them.
    pub(crate) instance: OnceLock<Opaque<Value>>,
    /// Ruby objects passed to wasm as externref: the externref is the index. One Array per
    /// store (instances joining a store take its Array), on the stack of Instance.new while
    /// it runs (the start function may already store externrefs), then marked by every
    /// object of the store.
    pub(crate) externs: Opaque<RArray>,
    /// The store of the instance (of the memory, of the global until an instance takes
    /// it); weak, since the store's host functions hold this.
    pub(crate) store: engine::WeakStore,
}

impl Shared {
    pub fn new(store: &engine::Store, externs: RArray) -> Shared {
        Shared {
            instance: OnceLock::new(),
            externs: Opaque::from(externs),
            store: store.downgrade(),
        }
    }

    /// Marks the Ruby instance object and the externref Array: for every object taken from
    /// the instance (or made alone, as `Memory.new` does, with no instance).
    pub fn mark(&self, marker: &Marker) {
        if let Some(v) = self.instance.get() {
            marker.mark(*v);
        }
        marker.mark(self.externs);
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


/// A store for an instance (or a memory or global made alone): Ruby's safepoints stop its
/// wasm (Timeout, Thread#raise, signals), and a second thread waits for the first.
pub fn new_store() -> engine::Store {
    let store = engine::Store::new(engine::embed::default_engine());
    // A fresh store, entered by no one: setting its hook cannot fail.
    let _ = store.set_safepoint_hook(crate::helpers::safepoints::hook);
    store.enable_periodic_safepoints();
    store.set_busy_wait(crate::helpers::safepoints::wait);
    store
}
