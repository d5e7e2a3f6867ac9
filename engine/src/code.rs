//! Executable memory and the registry that maps a machine address back to wasm: which
//! function it is in and which trap an instruction there stands for.

use crate::error::TrapCode;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, TryLockError};

/// What a faulting instruction in JIT code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrapKind {
    Wasm(TrapCode),
    /// A host function returned an error, now waiting in thread-local storage.
    HostError,
}

pub(crate) const HOST_ERROR_USER_CODE: u16 = 1;

impl TrapKind {
    pub fn from_cranelift(code: cranelift_codegen::ir::TrapCode) -> TrapKind {
        use cranelift_codegen::ir::TrapCode as C;
        TrapKind::Wasm(match code {
            C::StackOverflow => TrapCode::StackOverflow,
            C::HeapOutOfBounds | C::HeapMisaligned => TrapCode::MemoryOutOfBounds,
            C::TableOutOfBounds => TrapCode::TableOutOfBounds,
            C::IndirectCallToNull | C::NullReference | C::NullI31Ref => {
                TrapCode::IndirectCallToNull
            }
            C::BadSignature => TrapCode::BadSignature,
            C::IntegerOverflow => TrapCode::IntegerOverflow,
            C::IntegerDivisionByZero => TrapCode::IntegerDivideByZero,
            C::BadConversionToInteger => TrapCode::BadConversionToInteger,
            C::UnreachableCodeReached => TrapCode::Unreachable,
            C::Interrupt => TrapCode::Interrupt,
            C::User(HOST_ERROR_USER_CODE) => return TrapKind::HostError,
            C::User(_) => TrapCode::Unreachable,
        })
    }
}

/// A block of machine code, writable while being filled, executable once published.
pub(crate) struct CodeMemory {
    alloc: region::Allocation,
    info: Arc<CodeInfo>,
}

unsafe impl Send for CodeMemory {}
unsafe impl Sync for CodeMemory {}

/// The layout of one block of code, for the signal handler and for trap messages.
pub(crate) struct CodeInfo {
    /// Sorted by offset.
    pub traps: Vec<(u32, TrapKind)>,
    /// (start offset, name), sorted by offset.
    pub functions: Vec<(u32, String)>,
}

impl CodeInfo {
    fn trap_at(&self, offset: u32) -> Option<TrapKind> {
        self.traps
            .binary_search_by_key(&offset, |t| t.0)
            .ok()
            .map(|i| self.traps[i].1)
    }

    fn function_at(&self, offset: u32) -> Option<&str> {
        let i = self.functions.partition_point(|f| f.0 <= offset);
        i.checked_sub(1).map(|i| self.functions[i].1.as_str())
    }
}

impl CodeMemory {
    /// Copies `bytes` into fresh executable memory, after `fixup` has patched it in place
    /// at its final address.
    pub fn publish(
        bytes: &[u8],
        info: CodeInfo,
        fixup: impl FnOnce(&mut [u8], usize),
    ) -> Result<CodeMemory, String> {
        let len = bytes.len().max(1);
        let alloc = region::alloc(len, region::Protection::READ_WRITE)
            .map_err(|e| format!("cannot allocate code memory: {e}"))?;
        let ptr = alloc.as_ptr::<u8>() as *mut u8;
        let len = alloc.len();
        let code = CodeMemory {
            alloc,
            info: Arc::new(info),
        };
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr, len) };
        buf[..bytes.len()].copy_from_slice(bytes);
        fixup(&mut buf[..bytes.len()], ptr as usize);
        unsafe { region::protect(ptr, len, region::Protection::READ_EXECUTE) }
            .map_err(|e| format!("cannot make code executable: {e}"))?;
        let info = code.info.clone();
        write_registry(|registry| registry.insert(ptr as usize, (len, info)));
        Ok(code)
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

/// The name of the wasm function whose code contains `pc`.
pub(crate) fn function_name_at(pc: usize) -> Option<String> {
    lookup(pc, |info, off| info.function_at(off).map(str::to_owned))
}
