//! Globals as the embedder sees them; every access enters the store.

use crate::error::{Error, Result};
use crate::store::{Store, StoreInner};
use crate::types::GlobalType;
use crate::values::Val;
use crate::vm::global::GlobalObj;
use crate::vm::vmctx::VMGlobal;
use std::sync::Arc;

/// A global, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Global {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut GlobalObj,
}

// SAFETY: `ptr` is kept alive by the store `store` holds, and only dereferenced by a thread
// inside that store (`with`).
unsafe impl Send for Global {}
// SAFETY: as for Send.
unsafe impl Sync for Global {}

impl Global {
    /// The store it lives in: an instance importing it must be made in the same store.
    pub fn store(&self) -> Store {
        Store {
            inner: self.store.clone(),
        }
    }

    pub fn new(store: &Store, ty: GlobalType, val: Val) -> Result<Global> {
        check(&store.inner, ty, &val)?;
        let obj = GlobalObj {
            def: VMGlobal { bits: val.to_raw() },
            ty,
        };
        Ok(Global {
            store: store.inner.clone(),
            ptr: store.inner.keep(obj),
        })
    }

    /// Runs `f` on the global's value, inside the store.
    fn with<T>(&self, f: impl FnOnce(&mut VMGlobal) -> T) -> Result<T> {
        let _entered = self.store.enter()?;
        // SAFETY: the store keeps the object alive; being inside the store, this thread is
        // the only one touching its value, and no other reference to it lives across this
        // call. Only the `def` field is borrowed: `ty` stays readable from anywhere.
        Ok(f(unsafe { &mut (*self.ptr).def }))
    }

    /// The type never changes, so reading it needs no entering.
    pub fn ty(&self) -> GlobalType {
        // SAFETY: the store keeps the object alive; `ty` is written once, before the handle
        // exists, and no `&mut` to it is ever made.
        unsafe { (*self.ptr).ty }
    }

    pub fn get(&self) -> Result<Val> {
        let ty = self.ty().content;
        // SAFETY: the global holds a value of its type, from this store.
        self.with(|def| unsafe { Val::from_raw(&self.store, ty, def.bits) })
    }

    pub fn set(&self, val: Val) -> Result<()> {
        let ty = self.ty();
        if !ty.mutable {
            return Err(Error::Usage("cannot set an immutable global".into()));
        }
        check(&self.store, ty, &val)?;
        self.with(|def| def.bits = val.to_raw())
    }
}

fn check(store: &Arc<StoreInner>, ty: GlobalType, val: &Val) -> Result<()> {
    if val.ty() != ty.content {
        return Err(Error::ArgumentType {
            index: 0,
            expected: ty.content,
        });
    }
    if !val.usable_in(store) {
        return Err(Error::Usage("the value belongs to another store".into()));
    }
    Ok(())
}
