//! Linear memories: a reservation of address space that is made accessible page by page.

use crate::error::{Error, Result};
use crate::store::StoreInner;
use crate::types::MemoryType;
use crate::vm::VMMemory;
use std::sync::{Arc, OnceLock};

pub(crate) const PAGE: usize = 65536;
const MAX_PAGES: u32 = 65536;
/// A static memory's reservation covers every 32-bit index...
pub(crate) const STATIC_BOUND: usize = 1 << 32;
/// ...plus a guard region for the constant offset of a load or store.
pub(crate) const STATIC_GUARD: usize = 2 << 30;
/// The guard region after a dynamic memory, which is bounds-checked explicitly.
pub(crate) const DYNAMIC_GUARD: usize = PAGE;

/// How generated code keeps memory accesses in bounds, decided once per process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemoryMode {
    /// Every memory reserves `STATIC_BOUND + STATIC_GUARD` bytes: no bounds checks at all.
    Static,
    /// The reservation could not be made (low `RLIMIT_AS`): explicit bounds checks.
    Dynamic,
}

impl MemoryMode {
    pub fn current() -> MemoryMode {
        static MODE: OnceLock<MemoryMode> = OnceLock::new();
        *MODE.get_or_init(|| match Mapping::reserve(STATIC_BOUND + STATIC_GUARD) {
            Some(_) => MemoryMode::Static,
            None => MemoryMode::Dynamic,
        })
    }
}

/// Whether memories of this process are bounds-checked explicitly, because the address space
/// for guard regions could not be reserved (low `RLIMIT_AS`).
pub fn uses_explicit_bounds_checks() -> bool {
    MemoryMode::current() == MemoryMode::Dynamic
}

/// An anonymous mapping, inaccessible until `make_accessible`.
struct Mapping {
    ptr: *mut u8,
    len: usize,
}

impl Mapping {
    fn reserve(len: usize) -> Option<Mapping> {
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        (ptr != libc::MAP_FAILED).then_some(Mapping {
            ptr: ptr.cast(),
            len,
        })
    }

    fn make_accessible(&self, from: usize, to: usize) -> bool {
        to == from
            || unsafe {
                libc::mprotect(
                    self.ptr.add(from).cast(),
                    to - from,
                    libc::PROT_READ | libc::PROT_WRITE,
                ) == 0
            }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        unsafe {
            libc::munmap(self.ptr.cast(), self.len);
        }
    }
}

#[repr(C)]
pub(crate) struct MemoryObj {
    pub def: VMMemory,
    pub ty: MemoryType,
    mapping: Mapping,
    mode: MemoryMode,
}

impl MemoryObj {
    pub fn new(ty: MemoryType) -> Result<MemoryObj> {
        if ty.minimum > MAX_PAGES || ty.maximum.is_some_and(|m| m > MAX_PAGES) {
            return Err(Error::Usage("memory size must be at most 65536 pages (4 GiB)".into()));
        }
        let mode = MemoryMode::current();
        let size = ty.minimum as usize * PAGE;
        let reserve = match mode {
            MemoryMode::Static => STATIC_BOUND + STATIC_GUARD,
            MemoryMode::Dynamic => size + DYNAMIC_GUARD,
        };
        let mapping = Mapping::reserve(reserve).ok_or_else(|| {
            Error::Resource(format!("cannot reserve {reserve} bytes of address space for a memory"))
        })?;
        if !mapping.make_accessible(0, size) {
            return Err(Error::Resource(format!("cannot allocate {size} bytes of memory")));
        }
        Ok(MemoryObj {
            def: VMMemory {
                base: mapping.ptr,
                length: size,
            },
            ty,
            mapping,
            mode,
        })
    }

    pub fn pages(&self) -> u32 {
        (self.def.length / PAGE) as u32
    }

    /// Grows by `delta` pages; returns the previous page count, or None past the maximum or
    /// when the system has no memory left.
    pub fn grow(&mut self, delta: u32) -> Option<u32> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.ty.maximum.unwrap_or(MAX_PAGES).min(MAX_PAGES) {
            return None;
        }
        let (from, to) = (self.def.length, new as usize * PAGE);
        match self.mode {
            MemoryMode::Static => {
                if !self.mapping.make_accessible(from, to) {
                    return None;
                }
            }
            MemoryMode::Dynamic => {
                if to + DYNAMIC_GUARD > self.mapping.len {
                    // Out of reserved room: move to a larger mapping. Generated code in
                    // dynamic mode reloads the base after every call, so it follows.
                    let mapping = Mapping::reserve(to + DYNAMIC_GUARD)?;
                    if !mapping.make_accessible(0, to) {
                        return None;
                    }
                    unsafe { std::ptr::copy_nonoverlapping(self.def.base, mapping.ptr, from) };
                    self.def.base = mapping.ptr;
                    self.mapping = mapping;
                } else if !self.mapping.make_accessible(from, to) {
                    return None;
                }
            }
        }
        self.def.length = to;
        Some(old)
    }

    pub fn bytes(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.def.base, self.def.length) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.def.base, self.def.length) }
    }
}

/// A linear memory, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Memory {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut MemoryObj,
}

unsafe impl Send for Memory {}
unsafe impl Sync for Memory {}

fn out_of_bounds(offset: usize, len: usize, size: usize) -> Error {
    Error::Usage(format!(
        "memory access out of bounds: {len} bytes at offset {offset}, memory size is {size} bytes"
    ))
}

impl Memory {
    pub fn new(store: &crate::Store, ty: MemoryType) -> Result<Memory> {
        let obj = MemoryObj::new(ty)?;
        Ok(Memory {
            store: store.inner.clone(),
            ptr: store.inner.keep(obj),
        })
    }

    fn obj(&self) -> &mut MemoryObj {
        unsafe { &mut *self.ptr }
    }

    pub fn ty(&self) -> MemoryType {
        let obj = self.obj();
        MemoryType {
            minimum: obj.pages(),
            maximum: obj.ty.maximum,
        }
    }

    /// Size in bytes.
    pub fn size(&self) -> usize {
        self.obj().def.length
    }

    /// Size in 64 KiB pages.
    pub fn pages(&self) -> u32 {
        self.obj().pages()
    }

    /// Grows by `delta` pages and returns the previous page count.
    pub fn grow(&self, delta: u32) -> Result<u32> {
        let obj = self.obj();
        let old = obj.pages();
        obj.grow(delta).ok_or_else(|| {
            let max = obj.ty.maximum.unwrap_or(MAX_PAGES);
            Error::Usage(format!(
                "cannot grow memory by {delta} pages: it has {old} pages and its maximum is {max}"
            ))
        })
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, offset: usize, buf: &mut [u8]) -> Result<()> {
        let bytes = self.obj().bytes();
        let end = offset
            .checked_add(buf.len())
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| out_of_bounds(offset, buf.len(), bytes.len()))?;
        buf.copy_from_slice(&bytes[offset..end]);
        Ok(())
    }

    pub fn write(&self, offset: usize, data: &[u8]) -> Result<()> {
        let bytes = self.obj().bytes_mut();
        let size = bytes.len();
        let end = offset
            .checked_add(data.len())
            .filter(|&e| e <= size)
            .ok_or_else(|| out_of_bounds(offset, data.len(), size))?;
        bytes[offset..end].copy_from_slice(data);
        Ok(())
    }

    /// The bytes from `offset` up to the first NUL (or the end of memory).
    pub fn read_c_string(&self, offset: usize) -> Result<Vec<u8>> {
        let bytes = self.obj().bytes();
        if offset > bytes.len() {
            return Err(out_of_bounds(offset, 1, bytes.len()));
        }
        let rest = &bytes[offset..];
        let len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        Ok(rest[..len].to_vec())
    }

    /// The memory's bytes. Valid until the memory grows or wasm runs in its store.
    ///
    /// # Safety
    /// No wasm code or host call may touch the memory while the pointer is used.
    pub unsafe fn data_ptr(&self) -> *mut u8 {
        self.obj().def.base
    }
}
