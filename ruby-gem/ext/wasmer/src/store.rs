//! What an instance and every object taken from it share (`Shared`): the Ruby instance
//! object and the objects wasm holds as externrefs (`ExternTable`).

use engine::embed::externs::Externs;
use magnus::{gc::Marker, prelude::*, typed_data::Obj, value::Opaque, DataTypeFunctions, Ruby, TypedData, Value};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The Ruby objects wasm holds as externref in one store, kept by a Ruby object of its own:
/// marked by every object of the store and, while `Instance.new` runs (the start function
/// may already store externrefs), found on its stack. Marking pins them, so an object's
/// address is its identity in the table.
#[derive(TypedData)]
#[magnus(class = "Wasmer::Externs", mark, free_immediately, size)]
pub struct ExternTable(Mutex<Externs<Opaque<Value>>>);

impl DataTypeFunctions for ExternTable {
    fn mark(&self, marker: &Marker) {
        for v in self.lock().values() {
            marker.mark(*v);
        }
    }
}

impl ExternTable {
    pub fn new(ruby: &Ruby) -> Obj<ExternTable> {
        ruby.obj_wrap(ExternTable(Mutex::default()))
    }

    /// Held only while no Ruby object is made, so never by a GC that marks the table.
    fn lock(&self) -> MutexGuard<'_, Externs<Opaque<Value>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What an instance and every object taken from it (functions, memories, globals, tables,
/// views) share: the Ruby instance object and the objects wasm holds as externrefs. (Which
/// thread may use the store is the engine's business: a second thread waits for the first,
/// see `helpers::safepoints::wait`.)
pub struct Shared {
    /// The `Wasmer::Instance`, set as soon as it exists. Objects taken from the instance mark
    /// it, so the Ruby callables its host functions call live as long as any of them.
    pub(crate) instance: OnceLock<Opaque<Value>>,
    /// Ruby objects passed to wasm as externref: one table per store (instances joining a
    /// store take its table).
    pub(crate) externs: Opaque<Obj<ExternTable>>,
    /// The store of the instance (of the memory, of the global until an instance takes
    /// it); weak, since the store's host functions hold this.
    pub(crate) store: engine::WeakStore,
}

impl Shared {
    pub fn new(store: &engine::Store, externs: Obj<ExternTable>) -> Shared {
        Shared {
            instance: OnceLock::new(),
            externs: Opaque::from(externs),
            store: store.downgrade(),
        }
    }

    /// Marks the Ruby instance object and the externref table: for every object taken from
    /// the instance (or made alone, as `Memory.new` does, with no instance).
    pub fn mark(&self, marker: &Marker) {
        if let Some(v) = self.instance.get() {
            marker.mark(*v);
        }
        marker.mark(self.externs);
    }

    pub fn intern_extern(&self, v: Value) -> u64 {
        let ruby = unsafe { Ruby::get_unchecked() };
        let table = ruby.get_inner(self.externs);
        let identity = magnus::rb_sys::AsRawValue::as_raw(v) as usize;
        let index = table.lock().intern(Some(identity), || Opaque::from(v));
        index
    }

    pub fn extern_value(&self, ruby: &Ruby, index: u64) -> Value {
        let table = ruby.get_inner(self.externs);
        let found = table.lock().get(index).copied();
        found.map_or_else(|| ruby.qnil().as_value(), |v| ruby.get_inner(v))
    }
}

/// An object of a store of its own (a memory, global or table made alone, to import), made by
/// `make` from the `Shared` of a new externref table for `store`. The table stays on this
/// stack, where the GC finds it, until the object that marks it exists.
pub fn made_alone<T: TypedData>(
    ruby: &Ruby,
    store: &engine::Store,
    make: impl FnOnce(std::sync::Arc<Shared>) -> Result<T, magnus::Error>,
) -> Result<Obj<T>, magnus::Error> {
    let externs = ExternTable::new(ruby);
    let obj = ruby.obj_wrap(make(std::sync::Arc::new(Shared::new(store, externs)))?);
    std::hint::black_box(externs);
    Ok(obj)
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
