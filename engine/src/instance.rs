//! Instantiation: checking imports, laying out the vmctx, running segments and the start
//! function; and the exports of the result.

use crate::error::{Error, Result, Trap, TrapCode};
use crate::exports::{Exports, Extern};
use crate::func::Func;
use crate::host::HostCallSite;
use crate::memory::Memory;
use crate::module::Module;
use crate::module_info::{ImportKind, SegmentMode};
use crate::store::{Store, StoreInner};
use crate::types::*;
use crate::vm::builtins::BUILTINS;
use crate::vm::global::GlobalObj;
use crate::vm::instance::InstanceData;
use crate::vm::memory::MemoryObj;
use crate::vm::table::TableObj;
use crate::vm::vmctx::*;
use std::sync::Arc;

/// An instantiated module.
#[derive(Clone)]
pub struct Instance {
    store: Arc<StoreInner>,
    data: *mut InstanceData,
}

// SAFETY: `data` is kept alive by the store `store` holds, and only touched by a thread
// inside that store.
unsafe impl Send for Instance {}
// SAFETY: as for Send.
unsafe impl Sync for Instance {}

pub(crate) fn link_error(module: &str, field: &str, message: String) -> Error {
    Error::Link {
        module: module.to_owned(),
        field: field.to_owned(),
        message,
    }
}

fn limits_match(min: u32, max: Option<u32>, want_min: u32, want_max: Option<u32>) -> bool {
    min >= want_min
        && match (max, want_max) {
            (_, None) => true,
            (Some(m), Some(w)) => m <= w,
            (None, Some(_)) => false,
        }
}

/// Why `value` cannot be imported as `kind`, if it cannot. Called inside the store.
fn check_import(kind: &ImportKind, module: &Module, value: &Extern) -> Result<Option<String>> {
    let expected = match kind {
        ImportKind::Func(t) => ExternType::Func(module.inner.info.types[*t as usize].clone()),
        ImportKind::Memory(m) => ExternType::Memory(*m),
        ImportKind::Table(t) => ExternType::Table(*t),
        ImportKind::Global(g) => ExternType::Global(*g),
    };
    let actual = value.ty()?;
    let ok = match (kind, value, &actual) {
        (ImportKind::Func(t), Extern::Func(f), _) => {
            f.type_id() == module.inner.signatures[*t as usize].id
        }
        (ImportKind::Memory(want), _, ExternType::Memory(m)) => {
            limits_match(m.minimum, m.maximum, want.minimum, want.maximum)
        }
        (ImportKind::Table(want), _, ExternType::Table(t)) => {
            t.element == want.element
                && limits_match(t.minimum, t.maximum, want.minimum, want.maximum)
        }
        (ImportKind::Global(want), _, ExternType::Global(g)) => g == want,
        _ => false,
    };
    Ok((!ok).then(|| {
        // Each type's text names its kind: `memory(1)`, `func(i32) -> i32`.
        format!("incompatible import type: expected {expected}, got {actual}")
    }))
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of `module.imports()`.
    pub fn new(store: &Store, module: &Module, imports: &[Extern]) -> Result<Instance> {
        if !module.engine().same(store.engine()) {
            return Err(Error::Usage(
                "the module was compiled by another engine than the store's".into(),
            ));
        }
        let entered = store.inner.enter()?;
        let info = &module.inner.info;
        for (i, import) in info.imports.iter().enumerate() {
            let value = imports.get(i).ok_or_else(|| {
                link_error(&import.module, &import.name, "unknown import: no value was provided".into())
            })?;
            if !Store::same(value.store(), &store.inner) {
                return Err(link_error(
                    &import.module,
                    &import.name,
                    "the value belongs to another store".into(),
                ));
            }
            if let Some(message) = check_import(&import.kind, module, value)? {
                return Err(link_error(&import.module, &import.name, message));
            }
        }
        if imports.len() > info.imports.len() {
            return Err(Error::Usage(format!(
                "{} imports given, the module declares {}",
                imports.len(),
                info.imports.len()
            )));
        }

        let offsets = &module.inner.offsets;
        let (artifact, code) = module.inner.code(store.inner.metered())?;
        let data = store.inner.keep(InstanceData::new(info.clone(), code.clone(), offsets.clone()));
        // SAFETY: the store keeps the data at this fixed address; we are inside the store and
        // nothing else refers to the data yet.
        let d = unsafe { &mut *data };
        let vmctx = d.vmctx();
        d.write(VMOffsets::RUNTIME, store.inner.runtime() as u64);
        d.write(VMOffsets::INSTANCE, data as u64);
        d.write(VMOffsets::BUILTINS, &BUILTINS as *const _ as u64);
        for (i, sig) in module.inner.signatures.iter().enumerate() {
            d.write(offsets.type_id(i as u32), sig.id);
        }

        let mut func_imports = Vec::new();
        for value in imports {
            match value {
                Extern::Func(f) => func_imports.push(import_funcref(store, f, data)),
                Extern::Memory(m) => d.memories.push(m.ptr),
                Extern::Table(t) => d.tables.push(t.ptr),
                Extern::Global(g) => d.globals.push(g.ptr),
            }
        }
        let code = d.code.base();
        for (i, &type_index) in info.funcs.iter().enumerate() {
            let funcref = match func_imports.get(i) {
                Some(&imported) => imported,
                None => VMFuncRef {
                    // SAFETY: the function's offset lies inside the module's code.
                    code: unsafe {
                        code.add(artifact.functions[i - func_imports.len()].0 as usize)
                    },
                    vmctx,
                    type_id: module.inner.signatures[type_index as usize].id,
                },
            };
            // SAFETY: `funcref(i)` is a funcref slot of this vmctx.
            unsafe { *d.funcref(i as u32) = funcref };
        }
        let mode = store.engine().memory_mode();
        for ty in &info.memories[info.imported_memories as usize..] {
            d.memories.push(store.inner.keep(MemoryObj::new(*ty, mode, &store.inner.memory_budget)?));
        }
        for ty in &info.tables[info.imported_tables as usize..] {
            d.tables.push(store.inner.keep(TableObj::new(*ty, 0)?));
        }
        for (ty, init) in info.globals[info.imported_globals as usize..]
            .iter()
            .zip(&info.global_inits)
        {
            let bits = d.eval(*init);
            d.globals.push(store.inner.keep(GlobalObj {
                def: VMGlobal { bits },
                ty: *ty,
            }));
        }
        for i in 0..d.memories.len() {
            d.write(offsets.memory(i as u32), d.memories[i] as u64);
        }
        for i in 0..d.tables.len() {
            d.write(offsets.table(i as u32), d.tables[i] as u64);
        }
        for i in 0..d.globals.len() {
            d.write(offsets.global(i as u32), d.globals[i] as u64);
        }

        let instance = Instance {
            store: store.inner.clone(),
            data,
        };
        instance.initialize()?;
        drop(entered);
        Ok(instance)
    }

    /// Applies the element and data segments in order, then runs the start function. A trap
    /// leaves the writes made before it in place, as the spec says.
    fn initialize(&self) -> Result<()> {
        // SAFETY: called by `new`, inside the store, with no other reference to the data.
        let d = unsafe { &mut *self.data };
        let info = d.info.clone();
        let trap = |code| {
            Error::Trap(Trap::new(code))
        };
        for segment in &info.elements {
            let values: Box<[usize]> = segment.items.iter().map(|&e| d.eval(e).get_word() as usize).collect();
            d.elements.push(Some(values));
        }
        for (i, segment) in info.elements.iter().enumerate() {
            match segment.mode {
                SegmentMode::Active { index, offset } => {
                    let offset = d.eval(offset).get_i32() as u32;
                    let values = d.elements[i].take().unwrap();
                    // SAFETY: the tables of a live instance are live objects of its store.
                    let table = unsafe { &mut *d.tables[index as usize] };
                    let dst = table
                        .elements_mut()
                        .get_mut(offset as usize..offset as usize + values.len())
                        .ok_or_else(|| trap(TrapCode::TableOutOfBounds))?;
                    dst.copy_from_slice(&values);
                }
                SegmentMode::Declared => d.elements[i] = None,
                SegmentMode::Passive => {}
            }
        }
        for (i, segment) in info.data.iter().enumerate() {
            if let SegmentMode::Active { index, offset } = segment.mode {
                let offset = d.eval(offset).get_i32() as u32 as usize;
                // SAFETY: the memories of a live instance are live objects of its store.
                let memory = unsafe { &mut *d.memories[index as usize] };
                let dst = memory
                    .bytes_mut()
                    .get_mut(offset..offset + segment.bytes.len())
                    .ok_or_else(|| trap(TrapCode::MemoryOutOfBounds))?;
                dst.copy_from_slice(&segment.bytes);
                d.dropped_data[i] = true;
            }
        }
        if let Some(start) = info.start {
            // Within `new`'s entry, as one call from the host (see `store::Hold`).
            // SAFETY: a start function takes and returns nothing; we are inside the store.
            unsafe { self.exports_view().func(start).invoke(&mut [])? };
        }
        Ok(())
    }

    /// The exports of this instance.
    fn exports_view(&self) -> Exports<'_> {
        // SAFETY: the store keeps our data alive as long as `self.store`.
        unsafe { Exports::new(&self.store, self.data) }
    }

    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.exports_view().get(name)
    }

    pub fn get_func(&self, name: &str) -> Option<Func> {
        match self.get_export(name)? {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// Every export, in the module's order.
    pub fn exports(&self) -> Vec<(String, Extern)> {
        self.exports_view().all()
    }

    /// The first exported memory.
    pub fn memory(&self) -> Option<Memory> {
        self.exports_view().memory()
    }
}

/// The funcref an instance holds for an imported function: the function's own, except that
/// a host function gets a call site naming this instance as its caller.
fn import_funcref(store: &Store, func: &Func, caller: *mut InstanceData) -> VMFuncRef {
    // SAFETY: `func` belongs to this store (checked by `new`), so its funcref is alive.
    let mut funcref = unsafe { *func.raw };
    if func.is_host() {
        // SAFETY: `func` is a host function.
        let site = store.inner.keep(unsafe { HostCallSite::new(func, caller) });
        funcref.vmctx = site.cast();
    }
    funcref
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Instance")
    }
}

