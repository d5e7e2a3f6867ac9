//! The store an instance runs in, shared with the memories and globals taken from it (and
//! with instances importing them), and the PHP values wasm holds as externref.

use ext_php_rs::types::Zval;
use std::cell::RefCell;
use engine::embed::externs::Externs;

/// A store whose wasm PHP's time limit and signal handlers can stop (see
/// `helpers::safepoints`).
pub fn new_store() -> engine::Store {
    let store = engine::Store::new(engine::embed::default_engine());
    // A fresh store, entered by no one: setting its hook cannot fail.
    let _ = store.set_safepoint_hook(crate::helpers::safepoints::hook);
    store.enable_periodic_safepoints();
    store
}

thread_local! {
    /// PHP values passed to wasm as externref. They live until the request ends (PHP
    /// objects cannot outlive it, so no store can); an object is known by its address.
    static EXTERNS: RefCell<Externs<Zval>> = RefCell::default();
}

/// The externref for `z` (not null).
pub fn intern_extern(z: &Zval) -> u64 {
    let object = z.object().map(|o| o as *const _ as usize);
    EXTERNS.with_borrow_mut(|externs| externs.intern(object, || z.shallow_clone()))
}

/// The PHP value of the externref `index` (a new reference), null for one this request
/// never made.
pub fn extern_value(index: u64) -> Zval {
    EXTERNS.with_borrow(|externs| externs.get(index).map_or_else(Zval::new, Zval::shallow_clone))
}

/// At the end of a request: releases the values, after taking them out, since releasing
/// one may run PHP code that makes externrefs again.
pub fn release_externs() {
    let externs = EXTERNS.take();
    drop(externs);
}
