//! The structures JIT code reads and writes directly, and where they sit in a `VMContext`.
//!
//! Every wasm function takes its instance's vmctx as first argument. The vmctx is a flat array
//! of machine words laid out per module by [`VMOffsets`].

use std::sync::atomic::AtomicU32;

/// Per-store state that generated code checks: the stack limit (prologues) and the interrupt
/// flag (function entries and loop headers).
#[repr(C)]
pub(crate) struct VMRuntime {
    pub stack_limit: usize,
    pub interrupt: AtomicU32,
}

/// A linear memory as generated code sees it.
#[repr(C)]
pub(crate) struct VMMemory {
    pub base: *mut u8,
    pub length: usize,
}

/// A table as generated code sees it: `length` raw references at `base`.
#[repr(C)]
pub(crate) struct VMTable {
    pub base: *mut usize,
    pub length: usize,
}

/// The storage of one global: the value's bits, little end first.
#[repr(C)]
pub(crate) struct VMGlobal {
    pub bits: u64,
}

/// What a funcref points to: enough to call the function from anywhere.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct VMFuncRef {
    pub code: *const u8,
    pub vmctx: *mut u8,
    pub type_id: u64,
}

pub(crate) const FUNCREF_SIZE: u32 = std::mem::size_of::<VMFuncRef>() as u32;
pub(crate) const FUNCREF_CODE: i32 = 0;
pub(crate) const FUNCREF_VMCTX: i32 = 8;
pub(crate) const FUNCREF_TYPE: i32 = 16;
pub(crate) const RUNTIME_STACK_LIMIT: i32 = 0;
pub(crate) const RUNTIME_INTERRUPT: i32 = 8;
pub(crate) const MEMORY_BASE: i32 = 0;
pub(crate) const MEMORY_LENGTH: i32 = 8;
pub(crate) const TABLE_BASE: i32 = 0;
pub(crate) const TABLE_LENGTH: i32 = 8;

/// Byte offsets of everything in a module's vmctx.
///
/// Layout: runtime pointer, instance pointer, one `VMFuncRef` per function (imported ones are
/// copies of the import's), then one pointer per memory, table and global.
#[derive(Clone, Debug)]
pub(crate) struct VMOffsets {
    funcs: u32,
    memories: u32,
    tables: u32,
    globals: u32,
    size: u32,
}

impl VMOffsets {
    pub fn new(funcs: u32, memories: u32, tables: u32, globals: u32) -> VMOffsets {
        let funcs_at = 16;
        let memories_at = funcs_at + funcs * FUNCREF_SIZE;
        let tables_at = memories_at + memories * 8;
        let globals_at = tables_at + tables * 8;
        VMOffsets {
            funcs: funcs_at,
            memories: memories_at,
            tables: tables_at,
            globals: globals_at,
            size: globals_at + globals * 8,
        }
    }

    pub const RUNTIME: u32 = 0;
    pub const INSTANCE: u32 = 8;

    pub fn funcref(&self, index: u32) -> u32 {
        self.funcs + index * FUNCREF_SIZE
    }
    pub fn memory(&self, index: u32) -> u32 {
        self.memories + index * 8
    }
    pub fn table(&self, index: u32) -> u32 {
        self.tables + index * 8
    }
    pub fn global(&self, index: u32) -> u32 {
        self.globals + index * 8
    }
    pub fn size(&self) -> u32 {
        self.size
    }
}
