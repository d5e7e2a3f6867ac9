//! Tables as the embedder sees them; every access enters the store.

use crate::error::{Error, Result};
use crate::store::{Store, StoreInner};
use crate::types::TableType;
use crate::values::Val;
use crate::vm::table::TableObj;
use std::sync::Arc;

/// A table, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Table {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut TableObj,
}

// SAFETY: `ptr` is kept alive by the store `store` holds, and only dereferenced by a thread
// inside that store (`with`).
unsafe impl Send for Table {}
// SAFETY: as for Send.
unsafe impl Sync for Table {}

impl Table {
    pub fn new(store: &Store, ty: TableType, init: Val) -> Result<Table> {
        let raw = check(&store.inner, ty, &init)?;
        Ok(Table {
            store: store.inner.clone(),
            ptr: store.inner.keep(TableObj::new(ty, raw)?),
        })
    }

    /// The store it lives in.
    pub fn store(&self) -> Store {
        Store {
            inner: self.store.clone(),
        }
    }

    /// Runs `f` on the table object, inside the store.
    fn with<T>(&self, f: impl FnOnce(&mut TableObj) -> Result<T>) -> Result<T> {
        let _entered = self.store.enter()?;
        // SAFETY: the store keeps the object alive; being inside the store, this thread is
        // the only one touching it, and no other reference to it lives across this call.
        f(unsafe { &mut *self.ptr })
    }

    pub fn ty(&self) -> Result<TableType> {
        self.with(|obj| {
            Ok(TableType {
                minimum: obj.elements.len() as u32,
                ..obj.ty
            })
        })
    }

    pub fn size(&self) -> Result<u32> {
        self.with(|obj| Ok(obj.elements.len() as u32))
    }

    /// The element at `index`, or None past the end.
    pub fn get(&self, index: u32) -> Result<Option<Val>> {
        self.with(|obj| {
            Ok(obj.elements.get(index as usize).map(|&raw| {
                // SAFETY: table elements are references of the table's type, from this store.
                unsafe {
                    Val::from_raw(&self.store, obj.ty.element, crate::ValRaw::word(raw as u64))
                }
            }))
        })
    }

    pub fn set(&self, index: u32, val: Val) -> Result<()> {
        self.with(|obj| {
            let raw = check(&self.store, obj.ty, &val)?;
            let size = obj.elements.len();
            let slot = obj.elements.get_mut(index as usize).ok_or_else(|| {
                Error::Usage(format!("table index {index} out of bounds (size {size})"))
            })?;
            *slot = raw;
            Ok(())
        })
    }

    pub fn grow(&self, delta: u32, init: Val) -> Result<u32> {
        self.with(|obj| {
            let raw = check(&self.store, obj.ty, &init)?;
            obj.grow(delta, raw)
                .ok_or_else(|| Error::Usage(format!("cannot grow table by {delta} elements")))
        })
    }
}

fn check(store: &Arc<StoreInner>, ty: TableType, val: &Val) -> Result<usize> {
    if val.ty() != ty.element || !val.usable_in(store) {
        return Err(Error::Usage(format!(
            "a table of {} cannot hold a {} from this store",
            ty.element,
            val.ty()
        )));
    }
    Ok(val.to_raw().get_word() as usize)
}
