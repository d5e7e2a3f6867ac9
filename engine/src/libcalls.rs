//! Runtime helpers called from generated code for the operations too large to inline.
//! Each takes the caller's vmctx first; those that can trap return nonzero to ask for it.

use crate::instance::InstanceData;

fn range(start: u32, len: u32, size: usize) -> Option<std::ops::Range<usize>> {
    let end = start as usize + len as usize;
    (end <= size).then_some(start as usize..end)
}

/// `memory.copy` and `table.copy`: the ranges may overlap, and both are checked before
/// anything is written.
unsafe fn copy<T>(
    (dst_base, dst_size): (*mut T, usize),
    (src_base, src_size): (*const T, usize),
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    match (range(dst, len, dst_size), range(src, len, src_size)) {
        (Some(d), Some(s)) => {
            std::ptr::copy(src_base.add(s.start), dst_base.add(d.start), len as usize);
            0
        }
        _ => 1,
    }
}

pub(crate) unsafe extern "C" fn memory_grow(vmctx: *mut u8, memory: u32, delta: u32) -> u32 {
    let d = InstanceData::from_vmctx(vmctx);
    (*d.memories[memory as usize]).grow(delta).unwrap_or(u32::MAX)
}

pub(crate) unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    dst_memory: u32,
    src_memory: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let d = InstanceData::from_vmctx(vmctx);
    let dm = &*d.memories[dst_memory as usize];
    let sm = &*d.memories[src_memory as usize];
    copy((dm.def.base, dm.def.length), (sm.def.base, sm.def.length), dst, src, len)
}

pub(crate) unsafe extern "C" fn memory_fill(
    vmctx: *mut u8,
    memory: u32,
    dst: u32,
    value: u32,
    len: u32,
) -> u32 {
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

pub(crate) unsafe extern "C" fn memory_init(
    vmctx: *mut u8,
    memory: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let d = InstanceData::from_vmctx(vmctx);
    let module = d.module.clone();
    let bytes: &[u8] = if d.dropped_data[segment as usize] {
        &[]
    } else {
        &module.inner.info.data[segment as usize].bytes
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

pub(crate) unsafe extern "C" fn data_drop(vmctx: *mut u8, segment: u32) {
    InstanceData::from_vmctx(vmctx).dropped_data[segment as usize] = true;
}

pub(crate) unsafe extern "C" fn table_grow(
    vmctx: *mut u8,
    table: u32,
    delta: u32,
    init: u64,
) -> u32 {
    let d = InstanceData::from_vmctx(vmctx);
    (*d.tables[table as usize])
        .grow(delta, init as usize)
        .unwrap_or(u32::MAX)
}

pub(crate) unsafe extern "C" fn table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let d = InstanceData::from_vmctx(vmctx);
    let dt = &*d.tables[dst_table as usize];
    let st = &*d.tables[src_table as usize];
    copy((dt.def.base, dt.def.length), (st.def.base, st.def.length), dst, src, len)
}

pub(crate) unsafe extern "C" fn table_fill(
    vmctx: *mut u8,
    table: u32,
    dst: u32,
    value: u64,
    len: u32,
) -> u32 {
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

pub(crate) unsafe extern "C" fn table_init(
    vmctx: *mut u8,
    table: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
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

pub(crate) unsafe extern "C" fn elem_drop(vmctx: *mut u8, segment: u32) {
    InstanceData::from_vmctx(vmctx).elements[segment as usize] = None;
}
