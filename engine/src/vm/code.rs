//! Executable memory: where an artifact's code is copied, relocated and made executable, and
//! the registry that maps a machine address back to wasm: which function it is in and which
//! trap an instruction there stands for.

use crate::artifact::{Artifact, RelocKind, TrapKind, TRAMPOLINE};
use crate::vm::libcalls::float_libcall;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, TryLockError};

/// A block of machine code, executable once published. Freed (and unregistered) on drop.
pub(crate) struct CodeMemory {
    alloc: region::Allocation,
}

// SAFETY: the allocation is only written before it is published; afterwards it is read-only
// executable memory that any thread may run.
unsafe impl Send for CodeMemory {}
// SAFETY: as for Send: nothing mutates the memory after publishing.
unsafe impl Sync for CodeMemory {}

/// The layout of one block of code, for the signal handler and for trap messages.
struct CodeInfo {
    /// Sorted by offset.
    traps: Vec<(u32, TrapKind)>,
    /// (start offset, wasm function index, name), sorted by offset.
    functions: Vec<(u32, u32, String)>,
    /// (code offset, module offset), sorted by code offset.
    sites: Vec<(u32, u32)>,
}

impl CodeInfo {
    fn trap_at(&self, offset: u32) -> Option<TrapKind> {
        self.traps
            .binary_search_by_key(&offset, |t| t.0)
            .ok()
            .map(|i| self.traps[i].1)
    }

    fn function_at(&self, offset: u32) -> Option<&(u32, u32, String)> {
        let i = self.functions.partition_point(|f| f.0 <= offset);
        i.checked_sub(1).map(|i| &self.functions[i])
    }
}

/// A wasm function's frame, for a backtrace.
pub(crate) struct FrameInfo {
    pub func_index: u32,
    pub name: String,
    /// The byte offset in the module of the instruction at the address, when known.
    pub module_offset: Option<u32>,
}

impl CodeMemory {
    /// Copies the artifact's code into fresh memory, resolves its relocations at their final
    /// address, makes it executable and registers its traps.
    pub fn publish(artifact: &Artifact) -> Result<CodeMemory, String> {
        let len = artifact.code.len().max(1);
        let alloc = region::alloc(len, region::Protection::READ_WRITE)
            .map_err(|e| format!("cannot allocate code memory: {e}"))?;
        let ptr = alloc.as_ptr::<u8>() as *mut u8;
        let len = alloc.len();
        // SAFETY: `alloc` is `len` bytes of fresh read-write memory that nothing else sees yet.
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr, len) };
        buf[..artifact.code.len()].copy_from_slice(&artifact.code);
        let base = ptr as usize;
        for r in &artifact.relocs {
            let site = r.offset as usize;
            let value = (float_libcall(r.target) as i64).wrapping_add(r.addend);
            match r.kind {
                RelocKind::X86PcRel4 => {
                    let rel = i32::try_from(value.wrapping_sub((base + site) as i64))
                        .map_err(|_| "a builtin is out of reach of a 32-bit call".to_string())?;
                    buf[site..site + 4].copy_from_slice(&rel.to_le_bytes());
                }
                RelocKind::Abs8 => buf[site..site + 8].copy_from_slice(&value.to_le_bytes()),
                RelocKind::Arm64Call => {
                    let rel = (value - (base + site) as i64) >> 2;
                    let ins = u32::from_le_bytes(buf[site..site + 4].try_into().unwrap());
                    let ins = (ins & 0xfc00_0000) | (rel as u32 & 0x03ff_ffff);
                    buf[site..site + 4].copy_from_slice(&ins.to_le_bytes());
                }
            }
        }
        // SAFETY: `ptr..ptr+len` is the allocation above; no reference into it is kept.
        unsafe { region::protect(ptr, len, region::Protection::READ_EXECUTE) }
            .map_err(|e| format!("cannot make code executable: {e}"))?;
        let info = Arc::new(CodeInfo {
            traps: artifact.traps.clone(),
            functions: artifact.functions.clone(),
            sites: artifact.sites.clone(),
        });
        write_registry(|registry| registry.insert(base, (len, info)));
        Ok(CodeMemory { alloc })
    }

    pub fn base(&self) -> *const u8 {
        self.alloc.as_ptr()
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        let base = self.base() as usize;
        write_registry(|registry| registry.remove(&base));
    }
}

type Registry = BTreeMap<usize, (usize, Arc<CodeInfo>)>;

static REGISTRY: RwLock<Registry> = RwLock::new(BTreeMap::new());

thread_local! {
    /// Whether this thread holds the registry's write lock.
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

fn write_registry<T>(f: impl FnOnce(&mut Registry) -> T) -> T {
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    WRITING.with(|w| w.set(true));
    let result = f(&mut registry);
    WRITING.with(|w| w.set(false));
    result
}

fn lookup<T>(pc: usize, f: impl FnOnce(&CodeInfo, u32) -> Option<T>) -> Option<T> {
    // The signal handler runs this. Another thread publishing or freeing code holds the write
    // lock only for a map update: wait for it, or a trap while some other module is compiled
    // would be taken for a crash. Only the thread that holds the lock itself must not wait;
    // its fault cannot be in wasm code anyway.
    let registry = loop {
        match REGISTRY.try_read() {
            Ok(registry) => break registry,
            Err(TryLockError::WouldBlock) if !WRITING.with(|w| w.get()) => std::hint::spin_loop(),
            Err(TryLockError::WouldBlock) => return None,
            Err(TryLockError::Poisoned(e)) => break e.into_inner(),
        }
    };
    let (&start, (len, info)) = registry.range(..=pc).next_back()?;
    if pc >= start + len {
        return None;
    }
    f(info, (pc - start) as u32)
}

/// The trap an instruction at `pc` stands for, if it is a trap site in JIT code.
pub(crate) fn trap_at(pc: usize) -> Option<TrapKind> {
    lookup(pc, |info, off| info.trap_at(off))
}

/// Whether `pc` is in the code of a wasm function (not a trampoline's, not the host's).
pub(crate) fn is_wasm_function(pc: usize) -> bool {
    lookup(pc, |info, off| info.function_at(off).map(|f| f.1 != TRAMPOLINE)).unwrap_or(false)
}

/// The wasm function whose code contains `pc`, a trap site or a return address.
pub(crate) fn frame_at(pc: usize) -> Option<FrameInfo> {
    lookup(pc, |info, off| {
        let &(_, func_index, ref name) = info.function_at(off).filter(|f| f.1 != TRAMPOLINE)?;
        let module_offset = info.sites.binary_search_by_key(&off, |s| s.0).ok().map(|i| info.sites[i].1);
        Some(FrameInfo {
            func_index,
            name: name.clone(),
            module_offset,
        })
    })
}
