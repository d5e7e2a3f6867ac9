//! The structures generated code reads and writes directly, and where they sit in a vmctx.
//!
//! Every wasm function takes its instance's vmctx as first argument. The vmctx is a flat array
//! of machine words laid out per module by [`VMOffsets`]; the compiler reads the field offsets
//! of the structures below from here (`offset_of!`), so the two cannot disagree.

use std::mem::{offset_of, size_of};
use std::sync::atomic::Ordering::{Relaxed, Release, SeqCst};
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicUsize};

/// Per-store state that generated code checks: the interrupt state (function entries and loop
/// headers) and the fuel counter.
#[repr(C)]
pub(crate) struct VMRuntime {
    pub interrupt: VMInterrupt,
    /// Fuel consumed minus the fuel given: negative while fuel remains. Code compiled with
    /// metering adds to it and traps with `out_of_fuel` once it is 0 or more.
    pub fuel: i64,
    /// Asked at a safepoint whether to stop (see `Store::set_safepoint_hook`). Set and read
    /// only by the thread inside the store.
    pub safepoint: std::cell::UnsafeCell<Option<Box<SafepointHook>>>,
}

/// What `Store::set_safepoint_hook` takes: `true` to stop the wasm.
pub(crate) type SafepointHook = dyn Fn() -> bool;

/// The stack limit and the interrupt flag: 0, [`INTERRUPT`], [`SAFEPOINT`] or [`TIMEOUT`].
///
/// Loop headers read the flag. Function entries compare the stack pointer with `entry_limit`
/// instead, which is the stack limit while the flag is clear and `usize::MAX` while it is set:
/// the one comparison every entry makes anyway also catches an interrupt, as SpiderMonkey's
/// does. Either way generated code calls the `safepoint` builtin, which tells an overflow from
/// an interrupt.
///
/// Any thread (or a signal handler) may set the flag; only the thread inside the store clears
/// it or moves the limit. Every change stores the flag before `entry_limit`, and whoever
/// writes the real limit reads the flag again afterwards (all sequentially consistent), so a
/// set flag always ends with `entry_limit` at `usize::MAX`, whatever the interleaving.
#[repr(C)]
pub(crate) struct VMInterrupt {
    entry_limit: AtomicUsize,
    flag: AtomicU32,
    /// The lowest stack address the wasm running now may use (left as it was after a call:
    /// only read while wasm runs).
    stack_limit: AtomicUsize,
    /// The thread running the store's wasm code now, which a request signals (see
    /// `vm::preempt`): its kernel thread id, 0 while none does, or while it runs a host
    /// function (a signal would cut its sleeps and reads short).
    thread: AtomicI32,
}

impl VMInterrupt {
    pub const fn new() -> VMInterrupt {
        VMInterrupt {
            entry_limit: AtomicUsize::new(0),
            flag: AtomicU32::new(0),
            stack_limit: AtomicUsize::new(0),
            thread: AtomicI32::new(0),
        }
    }

    /// Sets the flag to what `update` makes of its value (`None` leaves it), never to 0.
    /// Any thread; async-signal-safe.
    ///
    /// The thread running the store's wasm is signalled whenever the flag is set, also when
    /// it already was: a signal that found the thread outside wasm code is sent again by
    /// the next request (the safepoint timer's, for stores with a hook).
    pub fn request(&self, update: impl FnMut(u32) -> Option<u32>) {
        if self.flag.fetch_update(SeqCst, SeqCst, update).is_ok() {
            self.entry_limit.store(usize::MAX, SeqCst);
        }
        if self.flag.load(SeqCst) != 0 {
            let mut thread = self.thread.load(SeqCst);
            if thread == 0 && crate::vm::threads::asymmetric_fence_known() {
                // A thread entering wasm may have stored its id without a fence: after
                // this one, either its store is visible or its next load sees the flag.
                crate::vm::threads::fence_all_threads();
                thread = self.thread.load(SeqCst);
            }
            if thread != 0 {
                crate::vm::threads::kick(thread);
            }
        }
    }

    /// Records `thread` as the one running the store's wasm as it enters or goes back to
    /// wasm code, returning the one recorded before. Only the thread inside the store.
    ///
    /// Either the requester sees the thread and signals it, or the thread's next check (at
    /// a function entry, after a call) sees the flag: the thread's store must not pass its
    /// next load of the flag. Where the kernel lets requesters fence every thread of the
    /// process (`threads::asymmetric_fence`), they do, and this store needs no fence.
    #[inline]
    pub fn enter_thread(&self, thread: i32) -> i32 {
        if crate::vm::threads::asymmetric_fence() {
            let old = self.thread.load(Relaxed);
            self.thread.store(thread, Release);
            std::sync::atomic::compiler_fence(SeqCst);
            old
        } else {
            self.thread.swap(thread, SeqCst)
        }
    }

    /// Records `thread` (0 for none) as the one running the store's wasm as it leaves wasm
    /// code, returning the one recorded before. A requester that still sees the old one
    /// signals a thread outside wasm code, where the signal does nothing: no fence needed.
    pub fn leave_thread(&self, thread: i32) -> i32 {
        let old = self.thread.load(Relaxed);
        self.thread.store(thread, Release);
        old
    }

    /// The interrupt flag itself, for the stub that runs signalled safepoints.
    pub fn flag_ptr(&self) -> *const u32 {
        self.flag.as_ptr()
    }

    pub fn flag(&self) -> u32 {
        self.flag.load(SeqCst)
    }

    /// Clears the flag, returning what it was. Only the thread inside the store.
    pub fn take(&self) -> u32 {
        let flag = self.flag.swap(0, SeqCst);
        self.refresh();
        flag
    }

    /// Clears the flag if it is `expected`. Only the thread inside the store.
    pub fn clear_if(&self, expected: u32) -> bool {
        let cleared = self.flag.compare_exchange(expected, 0, SeqCst, SeqCst).is_ok();
        if cleared {
            self.refresh();
        }
        cleared
    }

    pub fn stack_limit(&self) -> usize {
        self.stack_limit.load(Relaxed)
    }

    /// Only the thread inside the store. Nothing is written when the limit stays the same, as
    /// it does from one call to the next on a thread: the refresh costs a fence.
    pub fn set_stack_limit(&self, limit: usize) {
        if self.stack_limit.load(Relaxed) != limit {
            self.stack_limit.store(limit, Relaxed);
            self.refresh();
        }
    }

    /// Puts `entry_limit` back in line with the flag and the limit. Only the thread inside the
    /// store.
    pub fn refresh(&self) {
        self.entry_limit.store(self.stack_limit.load(Relaxed), SeqCst);
        if self.flag.load(SeqCst) != 0 {
            self.entry_limit.store(usize::MAX, SeqCst);
        }
    }
}

/// The interrupt flag's value that makes wasm trap with `interrupt`.
pub(crate) const INTERRUPT: u32 = 1;
/// The interrupt flag's value that makes wasm call the store's safepoint hook, then go on
/// (or trap, if the hook says so).
pub(crate) const SAFEPOINT: u32 = 2;
/// The interrupt flag's value that makes wasm trap with `timeout`: its call's deadline passed.
pub(crate) const TIMEOUT: u32 = 3;

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

/// The storage of one global: the value's bits, little end first. Sixteen bytes, so that a
/// `v128` global fits.
#[repr(C)]
pub(crate) struct VMGlobal {
    pub bits: ValRaw,
}

/// What a funcref points to: enough to call the function from anywhere.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct VMFuncRef {
    pub code: *const u8,
    pub vmctx: *mut u8,
    /// The engine-wide id of the function's type, compared by `call_indirect`.
    pub type_id: u64,
}

/// One value as it crosses between the host and generated code: the argument and result
/// slots of entry and host trampolines, and global storage. Sixteen bytes, the size of the
/// largest wasm value (`v128`); the value's bits sit at the low end, little-endian.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
#[repr(transparent)]
pub struct ValRaw(u128);

/// The stride of trampoline slots.
pub(crate) const VAL_RAW_SIZE: i32 = size_of::<ValRaw>() as i32;

impl ValRaw {
    pub fn i32(v: i32) -> ValRaw {
        ValRaw(v as u32 as u128)
    }
    pub fn i64(v: i64) -> ValRaw {
        ValRaw(v as u64 as u128)
    }
    pub fn f32(bits: u32) -> ValRaw {
        ValRaw(bits as u128)
    }
    pub fn f64(bits: u64) -> ValRaw {
        ValRaw(bits as u128)
    }
    pub fn v128(bits: u128) -> ValRaw {
        ValRaw(bits)
    }
    pub fn get_i32(self) -> i32 {
        self.0 as u32 as i32
    }
    pub fn get_i64(self) -> i64 {
        self.0 as u64 as i64
    }
    pub fn get_f32(self) -> u32 {
        self.0 as u32
    }
    pub fn get_f64(self) -> u64 {
        self.0 as u64
    }
    pub fn get_v128(self) -> u128 {
        self.0
    }
    /// A reference as generated code holds it: a pointer-sized word, zero for null.
    pub(crate) fn word(w: u64) -> ValRaw {
        ValRaw(w as u128)
    }
    pub(crate) fn get_word(self) -> u64 {
        self.0 as u64
    }
}

impl std::fmt::Debug for ValRaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ValRaw({:#x})", self.0)
    }
}

pub(crate) const FUNCREF_SIZE: u32 = size_of::<VMFuncRef>() as u32;
pub(crate) const FUNCREF_CODE: i32 = offset_of!(VMFuncRef, code) as i32;
pub(crate) const FUNCREF_VMCTX: i32 = offset_of!(VMFuncRef, vmctx) as i32;
pub(crate) const FUNCREF_TYPE: i32 = offset_of!(VMFuncRef, type_id) as i32;
pub(crate) const RUNTIME_ENTRY_LIMIT: i32 = (offset_of!(VMRuntime, interrupt) + offset_of!(VMInterrupt, entry_limit)) as i32;
pub(crate) const RUNTIME_STACK_LIMIT: i32 = (offset_of!(VMRuntime, interrupt) + offset_of!(VMInterrupt, stack_limit)) as i32;
pub(crate) const RUNTIME_INTERRUPT: i32 = (offset_of!(VMRuntime, interrupt) + offset_of!(VMInterrupt, flag)) as i32;
pub(crate) const RUNTIME_FUEL: i32 = offset_of!(VMRuntime, fuel) as i32;
pub(crate) const MEMORY_BASE: i32 = offset_of!(VMMemory, base) as i32;
pub(crate) const MEMORY_LENGTH: i32 = offset_of!(VMMemory, length) as i32;
pub(crate) const TABLE_BASE: i32 = offset_of!(VMTable, base) as i32;
pub(crate) const TABLE_LENGTH: i32 = offset_of!(VMTable, length) as i32;
pub(crate) const GLOBAL_BITS: i32 = offset_of!(VMGlobal, bits) as i32;

/// Byte offsets of everything in a module's vmctx.
///
/// Layout: the runtime, instance and builtins pointers, the engine-wide id of each of the
/// module's types (filled at instantiation: ids are not known when compiling), one
/// `VMFuncRef` per function (imported ones are copies of the import's), then one pointer per
/// memory, table and global.
#[derive(Clone, Debug)]
pub(crate) struct VMOffsets {
    types: u32,
    funcs: u32,
    memories: u32,
    tables: u32,
    globals: u32,
    size: u32,
}

impl VMOffsets {
    pub fn new(types: u32, funcs: u32, memories: u32, tables: u32, globals: u32) -> VMOffsets {
        let types_at = 24;
        let funcs_at = types_at + types * 8;
        let memories_at = funcs_at + funcs * FUNCREF_SIZE;
        let tables_at = memories_at + memories * 8;
        let globals_at = tables_at + tables * 8;
        VMOffsets {
            types: types_at,
            funcs: funcs_at,
            memories: memories_at,
            tables: tables_at,
            globals: globals_at,
            size: globals_at + globals * 8,
        }
    }

    pub const RUNTIME: u32 = 0;
    pub const INSTANCE: u32 = 8;
    pub const BUILTINS: u32 = 16;

    pub fn type_id(&self, index: u32) -> u32 {
        self.types + index * 8
    }
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

/// What the vmctx of a host function's funcref points to: host trampolines call
/// `dispatch(vmctx, values, frame)` with the arguments in `values` and their own frame
/// pointer, and expect the results in `values`; nonzero means the host function failed. The embedding API puts what it needs after this
/// header.
#[repr(C)]
pub(crate) struct VMHostContext {
    pub dispatch: unsafe extern "C" fn(*mut VMHostContext, *mut ValRaw, usize) -> i32,
}

pub(crate) const HOST_DISPATCH: i32 = offset_of!(VMHostContext, dispatch) as i32;
