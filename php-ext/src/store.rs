//! The store an instance runs in, shared with the memories and globals taken from it (and
//! with instances importing them).

/// A store whose wasm PHP's time limit and signal handlers can stop (see
/// `helpers::safepoints`).
pub fn new_store() -> engine::Store {
    let store = engine::Store::new(engine::embed::default_engine());
    // A fresh store, entered by no one: setting its hook cannot fail.
    let _ = store.set_safepoint_hook(crate::helpers::safepoints::hook);
    store.enable_periodic_safepoints();
    store
}
