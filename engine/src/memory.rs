//! Linear memories as the embedder sees them. Every access enters the store, so a memory
//! cannot move (grow) under a reader on another thread.

use crate::error::{Error, Result};
use crate::store::{Store, StoreInner};
use crate::types::MemoryType;
use crate::vm::memory::MemoryObj;
use std::sync::Arc;

/// A linear memory, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Memory {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut MemoryObj,
}

// SAFETY: `ptr` is kept alive by the store `store` holds, and only dereferenced by a thread
// inside that store (`with`).
unsafe impl Send for Memory {}
// SAFETY: as for Send.
unsafe impl Sync for Memory {}

fn out_of_bounds(offset: usize, len: usize, size: usize) -> Error {
    Error::Usage(outside(offset as i128, len as u128, size))
}

/// `10 bytes at offset 65530 are outside the memory (65536 bytes)`: the text of every access
/// out of a memory's bounds, which the bindings put after the name of the method at fault.
pub fn outside(offset: i128, len: u128, size: usize) -> String {
    let (bytes, are) = if len == 1 { ("byte", "is") } else { ("bytes", "are") };
    format!("{len} {bytes} at offset {offset} {are} outside the memory ({size} bytes)")
}

impl Memory {
    /// The store it lives in: an instance importing it must be made in the same store.
    pub fn store(&self) -> Store {
        Store {
            inner: self.store.clone(),
        }
    }

    pub fn new(store: &Store, ty: MemoryType) -> Result<Memory> {
        let obj = MemoryObj::new(ty, store.engine().memory_mode(), &store.inner.memory_budget)?;
        Ok(Memory {
            store: store.inner.clone(),
            ptr: store.inner.keep(obj),
        })
    }

    /// Runs `f` on the memory object, inside the store.
    fn with<T>(&self, f: impl FnOnce(&mut MemoryObj) -> Result<T>) -> Result<T> {
        let _entered = self.store.enter()?;
        // SAFETY: the store keeps the object alive; being inside the store, this thread is
        // the only one touching it, and no other reference to it lives across this call.
        f(unsafe { &mut *self.ptr })
    }

    /// Runs `f` on the memory's bytes, inside the store. Crate-only: `f` must not reach the
    /// store again (a nested access on this thread would alias the bytes); WASI's host
    /// functions, which only see the bytes, satisfy that.
    pub(crate) fn with_bytes_mut<T>(&self, f: impl FnOnce(&mut [u8]) -> T) -> Result<T> {
        self.with(|obj| Ok(f(obj.bytes_mut())))
    }

    pub fn ty(&self) -> Result<MemoryType> {
        self.with(|obj| {
            Ok(MemoryType {
                minimum: obj.pages(),
                maximum: obj.ty.maximum,
            })
        })
    }

    /// Size in bytes.
    pub fn size(&self) -> Result<usize> {
        self.with(|obj| Ok(obj.def.length))
    }

    /// Size in 64 KiB pages.
    pub fn pages(&self) -> Result<u32> {
        self.with(|obj| Ok(obj.pages()))
    }

    /// Grows by `delta` pages and returns the previous page count.
    pub fn grow(&self, delta: u32) -> Result<u32> {
        self.with(|obj| {
            obj.grow(delta).map_err(|failure| Error::Usage(obj.grow_failure(delta, failure)))
        })
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, offset: usize, buf: &mut [u8]) -> Result<()> {
        self.with(|obj| read(obj.bytes(), offset, buf))
    }

    /// Copies `data` into the memory at `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) -> Result<()> {
        self.with(|obj| {
            let bytes = obj.bytes_mut();
            let size = bytes.len();
            let end = offset
                .checked_add(data.len())
                .filter(|&e| e <= size)
                .ok_or_else(|| out_of_bounds(offset, data.len(), size))?;
            bytes[offset..end].copy_from_slice(data);
            Ok(())
        })
    }

    /// The bytes from `offset` up to the first NUL (or the end of memory).
    pub fn read_c_string(&self, offset: usize) -> Result<Vec<u8>> {
        self.with(|obj| {
            let bytes = obj.bytes();
            if offset > bytes.len() {
                return Err(out_of_bounds(offset, 1, bytes.len()));
            }
            let rest = &bytes[offset..];
            let len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            Ok(rest[..len].to_vec())
        })
    }
}

fn read(bytes: &[u8], offset: usize, buf: &mut [u8]) -> Result<()> {
    let end = offset
        .checked_add(buf.len())
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| out_of_bounds(offset, buf.len(), bytes.len()))?;
    buf.copy_from_slice(&bytes[offset..end]);
    Ok(())
}
