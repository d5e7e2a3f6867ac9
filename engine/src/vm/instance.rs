//! The state of one instance as the runtime sees it: the vmctx generated code reads, and what
//! the builtins change (memories, tables, dropped segments).

use crate::module_info::{ConstExpr, ModuleInfo};
use crate::vm::code::CodeMemory;
use crate::vm::global::GlobalObj;
use crate::vm::memory::MemoryObj;
use crate::vm::table::TableObj;
use crate::vm::vmctx::{ValRaw, VMFuncRef, VMOffsets};
use std::sync::Arc;

/// Owned by its store, which keeps it at a fixed address; generated code finds it through
/// the instance pointer in the vmctx.
pub(crate) struct InstanceData {
    pub info: Arc<ModuleInfo>,
    /// Keeps the code alive as long as the instance: its funcrefs point into it.
    pub code: Arc<CodeMemory>,
    pub offsets: VMOffsets,
    vmctx: Box<[u64]>,
    pub memories: Vec<*mut MemoryObj>,
    pub tables: Vec<*mut TableObj>,
    pub globals: Vec<*mut GlobalObj>,
    /// The values of each element segment until it is dropped.
    pub elements: Vec<Option<Box<[usize]>>>,
    pub dropped_data: Vec<bool>,
}

impl InstanceData {
    pub fn new(info: Arc<ModuleInfo>, code: Arc<CodeMemory>, offsets: VMOffsets) -> InstanceData {
        InstanceData {
            vmctx: vec![0u64; offsets.size() as usize / 8].into_boxed_slice(),
            dropped_data: vec![false; info.data.len()],
            info,
            code,
            offsets,
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            elements: Vec::new(),
        }
    }

    pub fn vmctx(&mut self) -> *mut u8 {
        self.vmctx.as_mut_ptr().cast()
    }

    pub fn write(&mut self, offset: u32, value: u64) {
        self.vmctx[offset as usize / 8] = value;
    }

    pub fn funcref(&mut self, index: u32) -> *mut VMFuncRef {
        let offset = self.offsets.funcref(index) as usize;
        // SAFETY: the offsets lay out this vmctx, so the funcref lies inside it, 8-aligned.
        unsafe { self.vmctx().add(offset).cast() }
    }

    /// The data of the instance whose vmctx is `vmctx`.
    ///
    /// # Safety
    /// `vmctx` must be the vmctx of a live instance, and the caller must be inside its store
    /// with no other reference to the data alive.
    pub unsafe fn from_vmctx<'a>(vmctx: *mut u8) -> &'a mut InstanceData {
        // SAFETY: the instance pointer sits at `VMOffsets::INSTANCE` of every vmctx.
        unsafe { &mut **(vmctx.add(VMOffsets::INSTANCE as usize) as *const *mut InstanceData) }
    }

    /// Evaluates a constant expression to the value's slot.
    pub fn eval(&mut self, expr: ConstExpr) -> ValRaw {
        match expr {
            ConstExpr::I32(v) => ValRaw::i32(v),
            ConstExpr::I64(v) => ValRaw::i64(v),
            ConstExpr::F32(v) => ValRaw::f32(v),
            ConstExpr::F64(v) => ValRaw::f64(v),
            ConstExpr::V128(v) => ValRaw::v128(v),
            ConstExpr::RefNull => ValRaw::word(0),
            ConstExpr::RefFunc(f) => ValRaw::word(self.funcref(f) as u64),
            // SAFETY: globals of a live instance point to live global objects of its store.
            ConstExpr::GlobalGet(g) => unsafe { (*self.globals[g as usize]).def.bits },
        }
    }
}
