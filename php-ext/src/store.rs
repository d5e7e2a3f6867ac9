//! The store an instance runs in, shared with the memories and globals taken from it (and
//! with instances importing them): `SharedStore`.

use std::sync::atomic::{AtomicU64, Ordering};

/// A store and a number that tells stores apart.
#[derive(Clone)]
pub struct SharedStore {
    pub store: engine::Store,
    pub id: u64,
}

impl SharedStore {
    pub fn new() -> SharedStore {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let store = engine::Store::new(engine::embed::default_engine());
        // A fresh store, entered by no one: setting its hook cannot fail.
        let _ = store.set_safepoint_hook(crate::helpers::safepoints::hook);
        store.enable_periodic_safepoints();
        SharedStore {
            store,
            id: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}
