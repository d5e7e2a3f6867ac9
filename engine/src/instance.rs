//! Instantiation: linking imports, laying out the vmctx, running segments and the start
//! function; and the exports of the result.

use crate::error::{Error, Result, Trap, TrapCode};
use crate::func::Func;
use crate::global::{Global, GlobalObj};
use crate::memory::{Memory, MemoryObj};
use crate::module::{ConstExpr, ExportIndex, ImportKind, Module, SegmentMode};
use crate::store::{Store, StoreInner};
use crate::table::{Table, TableObj};
use crate::types::*;
use crate::vm::*;
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
    fn store(&self) -> &Arc<StoreInner> {
        match self {
            Extern::Func(x) => &x.store,
            Extern::Memory(x) => &x.store,
            Extern::Table(x) => &x.store,
            Extern::Global(x) => &x.store,
        }
    }

    pub fn ty(&self) -> ExternType {
        match self {
            Extern::Func(f) => ExternType::Func(f.ty().clone()),
            Extern::Memory(m) => ExternType::Memory(m.ty()),
            Extern::Table(t) => ExternType::Table(t.ty()),
            Extern::Global(g) => ExternType::Global(g.ty()),
        }
    }
}

/// The state of one instance, owned by its store. Generated code finds it through the
/// instance pointer in the vmctx.
pub(crate) struct InstanceData {
    pub module: Module,
    vmctx: Box<[u64]>,
    pub memories: Vec<*mut MemoryObj>,
    pub tables: Vec<*mut TableObj>,
    globals: Vec<*mut GlobalObj>,
    /// The values of each element segment until it is dropped.
    pub elements: Vec<Option<Box<[usize]>>>,
    pub dropped_data: Vec<bool>,
}

impl InstanceData {
    fn vmctx(&mut self) -> *mut u8 {
        self.vmctx.as_mut_ptr().cast()
    }

    fn write(&mut self, offset: u32, value: u64) {
        self.vmctx[offset as usize / 8] = value;
    }

    fn funcref(&mut self, index: u32) -> *mut VMFuncRef {
        let offset = self.module.inner.offsets.funcref(index) as usize;
        unsafe { self.vmctx().add(offset).cast() }
    }

    /// The data of the instance whose vmctx is `vmctx`.
    ///
    /// # Safety
    /// `vmctx` must be the vmctx of a live instance.
    pub unsafe fn from_vmctx<'a>(vmctx: *mut u8) -> &'a mut InstanceData {
        &mut **(vmctx.add(VMOffsets::INSTANCE as usize) as *const *mut InstanceData)
    }
}

/// An instantiated module.
#[derive(Clone)]
pub struct Instance {
    store: Arc<StoreInner>,
    data: *mut InstanceData,
}

unsafe impl Send for Instance {}
unsafe impl Sync for Instance {}

fn link_error(module: &str, field: &str, message: String) -> Error {
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

fn check_import(kind: &ImportKind, module: &Module, value: &Extern) -> Option<String> {
    let expected = match kind {
        ImportKind::Func(t) => ExternType::Func(module.inner.info.types[*t as usize].ty.clone()),
        ImportKind::Memory(m) => ExternType::Memory(*m),
        ImportKind::Table(t) => ExternType::Table(*t),
        ImportKind::Global(g) => ExternType::Global(*g),
    };
    let actual = value.ty();
    let ok = match (kind, value) {
        (ImportKind::Func(t), Extern::Func(f)) => {
            f.type_id() == module.inner.info.types[*t as usize].id
        }
        (ImportKind::Memory(want), Extern::Memory(m)) => {
            let m = m.ty();
            limits_match(m.minimum, m.maximum, want.minimum, want.maximum)
        }
        (ImportKind::Table(want), Extern::Table(t)) => {
            let t = t.ty();
            t.element == want.element
                && limits_match(t.minimum, t.maximum, want.minimum, want.maximum)
        }
        (ImportKind::Global(want), Extern::Global(g)) => g.ty() == *want,
        _ => false,
    };
    (!ok).then(|| format!("incompatible import type: expected {expected}, got {} {actual}", actual.kind()))
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of `module.imports()`.
    pub fn new(store: &Store, module: &Module, imports: &[Extern]) -> Result<Instance> {
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
            if let Some(message) = check_import(&import.kind, module, value) {
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
        let data = store.inner.keep(InstanceData {
            module: module.clone(),
            vmctx: vec![0u64; offsets.size() as usize / 8].into_boxed_slice(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            elements: Vec::new(),
            dropped_data: vec![false; info.data.len()],
        });
        let d = unsafe { &mut *data };
        let vmctx = d.vmctx();
        d.write(VMOffsets::RUNTIME, store.inner.runtime() as u64);
        d.write(VMOffsets::INSTANCE, data as u64);

        let mut func_imports = Vec::new();
        for value in imports {
            match value {
                Extern::Func(f) => func_imports.push(unsafe { *f.raw }),
                Extern::Memory(m) => d.memories.push(m.ptr),
                Extern::Table(t) => d.tables.push(t.ptr),
                Extern::Global(g) => d.globals.push(g.ptr),
            }
        }
        for (i, &type_index) in info.funcs.iter().enumerate() {
            let funcref = match func_imports.get(i) {
                Some(&imported) => imported,
                None => VMFuncRef {
                    code: unsafe {
                        module
                            .inner
                            .code
                            .base()
                            .add(module.inner.func_offsets[i - func_imports.len()] as usize)
                    },
                    vmctx,
                    type_id: info.types[type_index as usize].id,
                },
            };
            unsafe { *d.funcref(i as u32) = funcref };
        }
        for ty in &info.memories[info.imported_memories as usize..] {
            d.memories.push(store.inner.keep(MemoryObj::new(*ty)?));
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
        Ok(instance)
    }

    /// Applies the element and data segments in order, then runs the start function. A trap
    /// leaves the writes made before it in place, as the spec says.
    fn initialize(&self) -> Result<()> {
        let d = self.data();
        let info = &d.module.clone().inner.info;
        let trap = |code| {
            Error::Trap(Trap {
                code,
                function: None,
            })
        };
        for segment in &info.elements {
            let values: Box<[usize]> = segment.items.iter().map(|&e| d.eval(e) as usize).collect();
            d.elements.push(Some(values));
        }
        for (i, segment) in info.elements.iter().enumerate() {
            match segment.mode {
                SegmentMode::Active { index, offset } => {
                    let offset = d.eval(offset) as u32;
                    let values = d.elements[i].take().unwrap();
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
                let offset = d.eval(offset) as u32 as usize;
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
            self.func(start).call(&[])?;
        }
        Ok(())
    }

    fn data(&self) -> &mut InstanceData {
        unsafe { &mut *self.data }
    }

    fn func(&self, index: u32) -> Func {
        unsafe { Func::from_raw(self.store.clone(), self.data().funcref(index)) }
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

    pub fn module(&self) -> &Module {
        &self.data().module
    }

    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let info = &self.data().module.inner.info;
        let &(_, index) = info.exports.iter().find(|(n, _)| n == name)?;
        Some(self.export(index))
    }

    pub fn get_func(&self, name: &str) -> Option<Func> {
        match self.get_export(name)? {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// Every export, in the module's order.
    pub fn exports(&self) -> Vec<(String, Extern)> {
        let info = &self.data().module.inner.info;
        info.exports
            .iter()
            .map(|(name, index)| (name.clone(), self.export(*index)))
            .collect()
    }

    /// The first exported memory.
    pub fn memory(&self) -> Option<Memory> {
        self.exports().into_iter().find_map(|(_, e)| match e {
            Extern::Memory(m) => Some(m),
            _ => None,
        })
    }
}

impl InstanceData {
    /// Evaluates a constant expression to raw bits.
    fn eval(&mut self, expr: ConstExpr) -> u64 {
        match expr {
            ConstExpr::I32(v) => v as u32 as u64,
            ConstExpr::I64(v) => v as u64,
            ConstExpr::F32(v) => v as u64,
            ConstExpr::F64(v) => v,
            ConstExpr::RefNull => 0,
            ConstExpr::RefFunc(f) => self.funcref(f) as u64,
            ConstExpr::GlobalGet(g) => unsafe { (*self.globals[g as usize]).def.bits },
        }
    }
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Instance")
    }
}

