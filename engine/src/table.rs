//! Tables of references.

use crate::error::{Error, Result};
use crate::store::StoreInner;
use crate::types::TableType;
use crate::values::Val;
use crate::vm::VMTable;
use std::sync::Arc;

/// Beyond this many elements `table.grow` fails, as the spec allows.
const MAX_ELEMENTS: u32 = 10_000_000;

#[repr(C)]
pub(crate) struct TableObj {
    pub def: VMTable,
    pub ty: TableType,
    elements: Vec<usize>,
}

impl TableObj {
    pub fn new(ty: TableType, init: usize) -> Result<TableObj> {
        if ty.minimum > MAX_ELEMENTS {
            return Err(Error::Resource(format!(
                "a table of {} elements is larger than the limit of {MAX_ELEMENTS}",
                ty.minimum
            )));
        }
        let mut t = TableObj {
            def: VMTable {
                base: std::ptr::null_mut(),
                length: 0,
            },
            ty,
            elements: vec![init; ty.minimum as usize],
        };
        t.sync();
        Ok(t)
    }

    fn sync(&mut self) {
        self.def.base = self.elements.as_mut_ptr();
        self.def.length = self.elements.len();
    }

    pub fn elements_mut(&mut self) -> &mut [usize] {
        &mut self.elements
    }

    /// Returns the previous size, or None past the maximum.
    pub fn grow(&mut self, delta: u32, init: usize) -> Option<u32> {
        let old = self.elements.len() as u32;
        let new = old.checked_add(delta)?;
        if new > self.ty.maximum.unwrap_or(u32::MAX).min(MAX_ELEMENTS) {
            return None;
        }
        self.elements.resize(new as usize, init);
        self.sync();
        Some(old)
    }
}

/// A table, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Table {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut TableObj,
}

unsafe impl Send for Table {}
unsafe impl Sync for Table {}

impl Table {
    pub fn new(store: &crate::Store, ty: TableType, init: Val) -> Result<Table> {
        let raw = Self::check(&store.inner, ty, &init)?;
        Ok(Table {
            store: store.inner.clone(),
            ptr: store.inner.keep(TableObj::new(ty, raw)?),
        })
    }

    fn check(store: &Arc<StoreInner>, ty: TableType, val: &Val) -> Result<usize> {
        if val.ty() != ty.element || !val.usable_in(store) {
            return Err(Error::Usage(format!(
                "a table of {} cannot hold a {} from this store",
                ty.element,
                val.ty()
            )));
        }
        Ok(val.to_raw() as usize)
    }

    fn obj(&self) -> &mut TableObj {
        unsafe { &mut *self.ptr }
    }

    pub fn ty(&self) -> TableType {
        let obj = self.obj();
        TableType {
            minimum: obj.elements.len() as u32,
            ..obj.ty
        }
    }

    pub fn size(&self) -> u32 {
        self.obj().elements.len() as u32
    }

    pub fn get(&self, index: u32) -> Option<Val> {
        let obj = self.obj();
        let raw = *obj.elements.get(index as usize)?;
        Some(Val::from_raw(&self.store, obj.ty.element, raw as u64))
    }

    pub fn set(&self, index: u32, val: Val) -> Result<()> {
        let obj = self.obj();
        let raw = Self::check(&self.store, obj.ty, &val)?;
        let size = obj.elements.len();
        let slot = obj.elements.get_mut(index as usize).ok_or_else(|| {
            Error::Usage(format!("table index {index} out of bounds (size {size})"))
        })?;
        *slot = raw;
        Ok(())
    }

    pub fn grow(&self, delta: u32, init: Val) -> Result<u32> {
        let obj = self.obj();
        let raw = Self::check(&self.store, obj.ty, &init)?;
        obj.grow(delta, raw)
            .ok_or_else(|| Error::Usage(format!("cannot grow table by {delta} elements")))
    }
}
