//! What can be imported or exported, and an instance's exports as handles: read by
//! [`Instance`](crate::Instance) and by a host function's [`Caller`](crate::Caller).

use crate::error::Result;
use crate::func::Func;
use crate::global::Global;
use crate::memory::Memory;
use crate::module_info::ExportIndex;
use crate::store::StoreInner;
use crate::table::Table;
use crate::types::ExternType;
use crate::vm::instance::InstanceData;
use std::sync::Arc;

/// Anything that can be imported or exported.
#[derive(Clone)]
pub enum Extern {
    Func(Func),
    Memory(Memory),
    Table(Table),
    Global(Global),
}

impl Extern {
    pub(crate) fn store(&self) -> &Arc<StoreInner> {
        match self {
            Extern::Func(x) => &x.store,
            Extern::Memory(x) => &x.store,
            Extern::Table(x) => &x.store,
            Extern::Global(x) => &x.store,
        }
    }

    /// "function", "memory", "table" or "global", for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Extern::Func(_) => "function",
            Extern::Memory(_) => "memory",
            Extern::Table(_) => "table",
            Extern::Global(_) => "global",
        }
    }

    /// The current type: a memory's or table's minimum is its current size.
    pub fn ty(&self) -> Result<ExternType> {
        Ok(match self {
            Extern::Func(f) => ExternType::Func(f.ty().clone()),
            Extern::Memory(m) => ExternType::Memory(m.ty()?),
            Extern::Table(t) => ExternType::Table(t.ty()?),
            Extern::Global(g) => ExternType::Global(g.ty()),
        })
    }
}

/// The exports of one live instance.
pub(crate) struct Exports<'a> {
    store: &'a Arc<StoreInner>,
    data: *mut InstanceData,
}

impl<'a> Exports<'a> {
    /// # Safety
    /// `data` must be a live instance of `store`.
    pub unsafe fn new(store: &'a Arc<StoreInner>, data: *mut InstanceData) -> Exports<'a> {
        Exports { store, data }
    }

    /// The instance's data, read-only: what exports read is fixed at instantiation.
    fn data(&self) -> &InstanceData {
        // SAFETY: `new`'s caller promised a live instance; after instantiation only the
        // builtins change it, and never the fields read through this reference.
        unsafe { &*self.data }
    }

    pub fn func(&self, index: u32) -> Func {
        let offset = self.data().offsets.funcref(index) as usize;
        // SAFETY: the funcref slot lies inside the vmctx of this live instance of `store`.
        unsafe { Func::from_raw(self.store.clone(), (*self.data).vmctx().add(offset).cast()) }
    }

    fn export(&self, index: ExportIndex) -> Extern {
        let d = self.data();
        let store = self.store.clone();
        match index {
            ExportIndex::Func(i) => Extern::Func(self.func(i)),
            ExportIndex::Memory(i) => Extern::Memory(Memory {
                store,
                ptr: d.memories[i as usize],
            }),
            ExportIndex::Table(i) => Extern::Table(Table {
                store,
                ptr: d.tables[i as usize],
            }),
            ExportIndex::Global(i) => Extern::Global(Global {
                store,
                ptr: d.globals[i as usize],
            }),
        }
    }

    pub fn get(&self, name: &str) -> Option<Extern> {
        let info = &self.data().info;
        let &position = info.export_positions.get(name)?;
        Some(self.export(info.exports[position].1))
    }

    pub fn all(&self) -> Vec<(String, Extern)> {
        let info = &self.data().info;
        info.exports
            .iter()
            .map(|(name, index)| (name.clone(), self.export(*index)))
            .collect()
    }

    /// The first exported memory.
    pub fn memory(&self) -> Option<Memory> {
        let (_, index) = self.data().info.exports.iter().find(|(_, e)| matches!(e, ExportIndex::Memory(_)))?;
        match self.export(*index) {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }
}
