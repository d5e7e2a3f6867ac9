//! Linear memories: a reservation of address space that is made accessible page by page.

use crate::error::{Error, Result};
use crate::types::MemoryType;
use crate::vm::vmctx::VMMemory;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

pub(crate) const PAGE: usize = 65536;
pub(crate) const MAX_PAGES: u32 = 65536;
/// A static memory's reservation covers every 32-bit index...
pub(crate) const STATIC_BOUND: usize = 1 << 32;
/// ...plus a guard region for the constant offset of a load or store.
pub(crate) const STATIC_GUARD: usize = 2 << 30;
/// The guard region after a dynamic memory, which is bounds-checked explicitly.
pub(crate) const DYNAMIC_GUARD: usize = PAGE;

/// How generated code keeps memory accesses in bounds: part of an engine's configuration,
/// since compiled code depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemoryMode {
    /// Every memory reserves `STATIC_BOUND + STATIC_GUARD` bytes: no bounds checks at all.
    Static,
    /// The process cannot reserve that much address space for many memories (a low
    /// `RLIMIT_AS`, valgrind's 128 GiB): explicit bounds checks.
    Dynamic,
}

/// How many static memories the process must be able to hold at once for static mode:
/// code compiled for it cannot fall back when a reservation fails later, so a process that
/// could only hold a few (valgrind holds 20) gets dynamic memories from the start.
const STATIC_PROBE_COUNT: usize = 32;

impl MemoryMode {
    /// Static where this process can reserve the address space for many memories, else
    /// dynamic. Probed once: the answer depends on the process's limits, not on the engine.
    pub fn probe() -> MemoryMode {
        static MODE: OnceLock<MemoryMode> = OnceLock::new();
        *MODE.get_or_init(|| {
            let held: Vec<Mapping> = (0..STATIC_PROBE_COUNT)
                .map_while(|_| Mapping::reserve(STATIC_BOUND + STATIC_GUARD))
                .collect();
            if held.len() == STATIC_PROBE_COUNT {
                MemoryMode::Static
            } else {
                MemoryMode::Dynamic
            }
        })
    }
}

/// An anonymous mapping, inaccessible until `make_accessible`.
struct Mapping {
    ptr: *mut u8,
    len: usize,
}

impl Mapping {
    fn reserve(len: usize) -> Option<Mapping> {
        // SAFETY: a fresh anonymous mapping; no existing memory is affected.
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
        // `then`, not `then_some`: a Mapping made of MAP_FAILED would be unmapped on drop.
        (ptr != libc::MAP_FAILED).then(|| Mapping {
            ptr: ptr.cast(),
            len,
        })
    }

    fn make_accessible(&self, from: usize, to: usize) -> bool {
        to == from
            // SAFETY: `from..to` lies inside this mapping, which we own.
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
        // SAFETY: the mapping is ours and nothing refers to it once its owner is dropped.
        unsafe {
            libc::munmap(self.ptr.cast(), self.len);
        }
    }
}

/// The bytes the memories of one store may take together (`Store::set_memory_limit`), and
/// the bytes they take. Only a thread inside the store changes it; atomics make it `Sync`.
pub(crate) struct MemoryBudget {
    limit: AtomicUsize,
    used: AtomicUsize,
}

impl MemoryBudget {
    pub fn new() -> MemoryBudget {
        MemoryBudget {
            limit: AtomicUsize::new(usize::MAX),
            used: AtomicUsize::new(0),
        }
    }

    pub fn set_limit(&self, limit: Option<usize>) {
        self.limit.store(limit.unwrap_or(usize::MAX), Ordering::Relaxed);
    }

    pub fn limit(&self) -> Option<usize> {
        Some(self.limit.load(Ordering::Relaxed)).filter(|&l| l != usize::MAX)
    }

    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// Counts `bytes` more, unless that would pass the limit.
    fn take(&self, bytes: usize) -> bool {
        let used = self.used();
        match used.checked_add(bytes) {
            Some(total) if total <= self.limit.load(Ordering::Relaxed) => {
                self.used.store(total, Ordering::Relaxed);
                true
            }
            _ => false,
        }
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
    }
}

/// Why a memory did not grow.
#[derive(Clone, Copy, Debug)]
pub(crate) enum GrowFailure {
    /// Past the memory's maximum (or 4 GiB).
    Maximum,
    /// Past the store's memory limit.
    Limit,
    /// The system refused the memory.
    System,
}

#[repr(C)]
pub(crate) struct MemoryObj {
    pub def: VMMemory,
    pub ty: MemoryType,
    mapping: Mapping,
    mode: MemoryMode,
    budget: Arc<MemoryBudget>,
}

impl MemoryObj {
    pub fn new(ty: MemoryType, mode: MemoryMode, budget: &Arc<MemoryBudget>) -> Result<MemoryObj> {
        if ty.minimum > MAX_PAGES || ty.maximum.is_some_and(|m| m > MAX_PAGES) {
            return Err(Error::Usage("memory size must be at most 65536 pages (4 GiB)".into()));
        }
        let size = ty.minimum as usize * PAGE;
        if !budget.take(size) {
            return Err(Error::Resource(format!(
                "a memory of {} pages ({size} bytes) does not fit in the memory limit of {} bytes \
                 ({} bytes already taken by other memories)",
                ty.minimum,
                budget.limit().unwrap_or(usize::MAX),
                budget.used()
            )));
        }
        let obj = MemoryObj::map(ty, mode, size, budget.clone());
        if obj.is_err() {
            budget.give_back(size);
        }
        obj
    }

    fn map(ty: MemoryType, mode: MemoryMode, size: usize, budget: Arc<MemoryBudget>) -> Result<MemoryObj> {
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
            budget,
        })
    }

    pub fn maximum(&self) -> u32 {
        self.ty.maximum.unwrap_or(MAX_PAGES)
    }

    pub fn pages(&self) -> u32 {
        (self.def.length / PAGE) as u32
    }

    /// Grows by `delta` pages; returns the previous page count, or why it cannot grow.
    pub fn grow(&mut self, delta: u32) -> Result<u32, GrowFailure> {
        let old = self.pages();
        let new = old
            .checked_add(delta)
            .filter(|&n| n <= self.ty.maximum.unwrap_or(MAX_PAGES).min(MAX_PAGES))
            .ok_or(GrowFailure::Maximum)?;
        let (from, to) = (self.def.length, new as usize * PAGE);
        if !self.budget.take(to - from) {
            return Err(GrowFailure::Limit);
        }
        let grown = self.commit(old, from, to);
        if grown.is_none() {
            self.budget.give_back(to - from);
        }
        grown.ok_or(GrowFailure::System)
    }

    /// Makes `from..to` accessible, moving a dynamic memory if it must.
    fn commit(&mut self, old: u32, from: usize, to: usize) -> Option<u32> {
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
                    // SAFETY: both mappings are accessible for `from` bytes and distinct.
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

    /// The embedder's message for a `grow(delta)` that failed with `failure`.
    pub fn grow_failure(&self, delta: u32, failure: GrowFailure) -> String {
        match failure {
            GrowFailure::Maximum => format!(
                "cannot grow memory by {delta} pages: it has {} pages and its maximum is {}",
                self.pages(),
                self.maximum()
            ),
            GrowFailure::Limit => format!(
                "cannot grow memory by {delta} pages: the memory limit is {} bytes and {} are taken",
                self.budget.limit().unwrap_or(usize::MAX),
                self.budget.used()
            ),
            GrowFailure::System => format!("cannot grow memory by {delta} pages: out of memory"),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `base..base+length` is accessible memory owned by this object.
        unsafe { std::slice::from_raw_parts(self.def.base, self.def.length) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.def.base, self.def.length) }
    }
}

impl Drop for MemoryObj {
    fn drop(&mut self) {
        self.budget.give_back(self.def.length);
    }
}
