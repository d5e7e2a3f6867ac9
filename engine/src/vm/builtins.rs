//! Runtime helpers called from generated code for the operations too large to inline.
//!
//! Generated code reaches them through the [`VMBuiltins`] table whose address the vmctx holds,
//! never through an address in the code itself, so that compiled code is the same in every
//! process. Each takes the caller's vmctx first; those that can trap return nonzero to ask
//! for it.

use crate::vm::instance::InstanceData;
use crate::vm::vmctx::VMRuntime;
use std::mem::offset_of;

/// The table of builtins, one function pointer each.
#[repr(C)]
pub(crate) struct VMBuiltins {
    memory_grow: unsafe extern "C" fn(*mut u8, u32, u32) -> u32,
    memory_copy: unsafe extern "C" fn(*mut u8, u32, u32, u32, u32, u32) -> u32,
    memory_fill: unsafe extern "C" fn(*mut u8, u32, u32, u32, u32) -> u32,
    memory_init: unsafe extern "C" fn(*mut u8, u32, u32, u32, u32, u32) -> u32,
    data_drop: unsafe extern "C" fn(*mut u8, u32),
    table_grow: unsafe extern "C" fn(*mut u8, u32, u32, u64) -> u32,
    table_copy: unsafe extern "C" fn(*mut u8, u32, u32, u32, u32, u32) -> u32,
    table_fill: unsafe extern "C" fn(*mut u8, u32, u32, u64, u32) -> u32,
    table_init: unsafe extern "C" fn(*mut u8, u32, u32, u32, u32, u32) -> u32,
    elem_drop: unsafe extern "C" fn(*mut u8, u32),
    safepoint: SafepointFn,
}

/// The safepoint builtin is called from inside hot loops (on a cold path): on x86-64 with the
/// Windows convention, whose callee-saved XMM6-15 spare the loop's float registers the
/// spilling the System V convention (no callee-saved XMM) forces around the call.
#[cfg(target_arch = "x86_64")]
type SafepointFn = unsafe extern "win64" fn(*mut u8, usize) -> u32;
#[cfg(not(target_arch = "x86_64"))]
type SafepointFn = unsafe extern "C" fn(*mut u8, usize) -> u32;

/// The one table every vmctx points to.
pub(crate) static BUILTINS: VMBuiltins = VMBuiltins {
    memory_grow,
    memory_copy,
    memory_fill,
    memory_init,
    data_drop,
    table_grow,
    table_copy,
    table_fill,
    table_init,
    elem_drop,
    safepoint,
};

/// A builtin, as the compiler names it: its slot in [`VMBuiltins`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Builtin {
    MemoryGrow,
    MemoryCopy,
    MemoryFill,
    MemoryInit,
    DataDrop,
    TableGrow,
    TableCopy,
    TableFill,
    TableInit,
    ElemDrop,
    Safepoint,
}

impl Builtin {
    /// The byte offset of its pointer in [`VMBuiltins`].
    pub fn offset(self) -> i32 {
        (match self {
            Builtin::MemoryGrow => offset_of!(VMBuiltins, memory_grow),
            Builtin::MemoryCopy => offset_of!(VMBuiltins, memory_copy),
            Builtin::MemoryFill => offset_of!(VMBuiltins, memory_fill),
            Builtin::MemoryInit => offset_of!(VMBuiltins, memory_init),
            Builtin::DataDrop => offset_of!(VMBuiltins, data_drop),
            Builtin::TableGrow => offset_of!(VMBuiltins, table_grow),
            Builtin::TableCopy => offset_of!(VMBuiltins, table_copy),
            Builtin::TableFill => offset_of!(VMBuiltins, table_fill),
            Builtin::TableInit => offset_of!(VMBuiltins, table_init),
            Builtin::ElemDrop => offset_of!(VMBuiltins, elem_drop),
            Builtin::Safepoint => offset_of!(VMBuiltins, safepoint),
        }) as i32
    }
}

/// Called by generated code when a function entry finds its stack pointer `sp` below the
/// entry limit, or a loop header finds the interrupt flag set (`sp` is then `usize::MAX`: the
/// stack was checked at entry): [`OVERFLOW`] to trap with `stack_overflow`, [`STOP`] to trap
/// with `interrupt`, 0 to go on. For a safepoint request the flag is cleared and the store's
/// hook decides.
///
/// # Safety
/// Called by generated code with its own vmctx, on the thread inside the store.
#[cfg(target_arch = "x86_64")]
unsafe extern "win64" fn safepoint(vmctx: *mut u8, sp: usize) -> u32 {
    // SAFETY: as for `safepoint_impl`, whose contract is this function's.
    unsafe { safepoint_impl(vmctx, sp) }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe extern "C" fn safepoint(vmctx: *mut u8, sp: usize) -> u32 {
    // SAFETY: as for `safepoint_impl`, whose contract is this function's.
    unsafe { safepoint_impl(vmctx, sp) }
}

/// What the `safepoint` builtin returns to make the code trap with `interrupt`.
pub(crate) const STOP: u32 = 1;
/// What the `safepoint` builtin returns to make the code trap with `stack_overflow`.
pub(crate) const OVERFLOW: u32 = 2;

/// # Safety
/// Called by generated code with its own vmctx, on the thread inside the store.
unsafe fn safepoint_impl(vmctx: *mut u8, sp: usize) -> u32 {
    // SAFETY: a vmctx starts with its store's runtime pointer (`VMOffsets::RUNTIME` is 0),
    // live while the store runs wasm.
    let runtime = unsafe { &**vmctx.cast::<*const VMRuntime>() };
    safepoint_verdict(runtime, sp)
}

/// What a safepoint at stack pointer `sp` (`usize::MAX`: not to be checked) makes of the
/// store's state: [`OVERFLOW`], [`STOP`] or 0. Runs the hook of a safepoint request. On
/// the thread inside the store, running its wasm.
pub(crate) fn safepoint_verdict(runtime: &VMRuntime, sp: usize) -> u32 {
    use crate::vm::vmctx::{INTERRUPT, SAFEPOINT};
    let interrupt = &runtime.interrupt;
    if sp < interrupt.stack_limit() {
        return OVERFLOW;
    }
    if !interrupt.clear_if(SAFEPOINT) {
        if interrupt.flag() != 0 {
            // An interrupt or a timeout.
            return STOP;
        }
        // Nothing asked: the entry limit was left high by a race (see `VMInterrupt`).
        interrupt.refresh();
        return 0;
    }
    // SAFETY: only the thread inside the store touches the hook, and this is that thread.
    let Some(hook) = (unsafe { &*runtime.safepoint.get() }) else { return 0 };
    // A panic must not unwind into generated code: it stops the wasm instead.
    let stop = std::panic::catch_unwind(std::panic::AssertUnwindSafe(hook)).unwrap_or(true);
    if stop {
        interrupt.request(|_| Some(INTERRUPT));
        return STOP;
    }
    0
}

fn range(start: u32, len: u32, size: usize) -> Option<std::ops::Range<usize>> {
    let end = start as usize + len as usize;
    (end <= size).then_some(start as usize..end)
}

/// `memory.copy` and `table.copy`: the ranges may overlap, and both are checked before
/// anything is written.
///
/// # Safety
/// Each base must point to a live buffer of its size.
unsafe fn copy<T>(
    (dst_base, dst_size): (*mut T, usize),
    (src_base, src_size): (*const T, usize),
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    match (range(dst, len, dst_size), range(src, len, src_size)) {
        (Some(d), Some(s)) => {
            // SAFETY: both ranges were checked to lie inside their buffers, which the caller
            // promises are live for their sizes; `ptr::copy` allows overlap.
            unsafe { std::ptr::copy(src_base.add(s.start), dst_base.add(d.start), len as usize) };
            0
        }
        _ => 1,
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn memory_grow(vmctx: *mut u8, memory: u32, delta: u32) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        (*d.memories[memory as usize]).grow(delta).unwrap_or(u32::MAX)
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    dst_memory: u32,
    src_memory: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let dm = &*d.memories[dst_memory as usize];
        let sm = &*d.memories[src_memory as usize];
        copy((dm.def.base, dm.def.length), (sm.def.base, sm.def.length), dst, src, len)
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn memory_fill(
    vmctx: *mut u8,
    memory: u32,
    dst: u32,
    value: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let m = &mut *d.memories[memory as usize];
        match range(dst, len, m.def.length) {
            Some(r) => {
                m.bytes_mut()[r].fill(value as u8);
                0
            }
            None => 1,
        }
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn memory_init(
    vmctx: *mut u8,
    memory: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let info = d.info.clone();
        let bytes: &[u8] = if d.dropped_data[segment as usize] {
            &[]
        } else {
            &info.data[segment as usize].bytes
        };
        let m = &mut *d.memories[memory as usize];
        match (range(dst, len, m.def.length), range(src, len, bytes.len())) {
            (Some(dr), Some(sr)) => {
                m.bytes_mut()[dr].copy_from_slice(&bytes[sr]);
                0
            }
            _ => 1,
        }
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn data_drop(vmctx: *mut u8, segment: u32) {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        InstanceData::from_vmctx(vmctx).dropped_data[segment as usize] = true;
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn table_grow(
    vmctx: *mut u8,
    table: u32,
    delta: u32,
    init: u64,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        (*d.tables[table as usize])
            .grow(delta, init as usize)
            .unwrap_or(u32::MAX)
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let dt = &*d.tables[dst_table as usize];
        let st = &*d.tables[src_table as usize];
        copy((dt.def.base, dt.def.length), (st.def.base, st.def.length), dst, src, len)
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn table_fill(
    vmctx: *mut u8,
    table: u32,
    dst: u32,
    value: u64,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let t = &mut *d.tables[table as usize];
        match range(dst, len, t.def.length) {
            Some(r) => {
                t.elements_mut()[r].fill(value as usize);
                0
            }
            None => 1,
        }
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn table_init(
    vmctx: *mut u8,
    table: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        let d = InstanceData::from_vmctx(vmctx);
        let values: &[usize] = d.elements[segment as usize].as_deref().unwrap_or(&[]);
        let t = &mut *d.tables[table as usize];
        match (range(dst, len, t.def.length), range(src, len, values.len())) {
            (Some(dr), Some(sr)) => {
                t.elements_mut()[dr].copy_from_slice(&values[sr]);
                0
            }
            _ => 1,
        }
    }
}

/// # Safety
/// Called by generated code with its own vmctx and indices the validator checked, on a
/// thread inside the store.
unsafe extern "C" fn elem_drop(vmctx: *mut u8, segment: u32) {
    // SAFETY: see the function's contract: the vmctx is a live instance's, its memories,
    // tables and segments are live, and the indices are in range.
    unsafe {
        InstanceData::from_vmctx(vmctx).elements[segment as usize] = None;
    }
}
