//! The process's module cache, behind [`compile`]: bytes compiled before give back the same
//! module (kept in memory up to a size, least recently used out first), and with a cache
//! directory, modules compiled by earlier processes load from disk instead of compiling.
//!
//! Entries are keyed by the SHA-256 of the engine's configuration and the module's bytes.
//! Disk entries are written to a temporary file then renamed, so a reader never sees a torn
//! one, whatever other processes do at the same time; an entry that does not load (corrupt,
//! truncated, from another engine) is compiled again and replaced.

use super::default_engine;
use crate::error::{Error, Result};
use crate::module::Module;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// The default bound of the memory cache: the modules' bytes and code, in bytes.
pub const DEFAULT_MEMORY_LIMIT: usize = 256 << 20;

struct Entry {
    module: Module,
    size: usize,
    last_used: u64,
}

struct Memory {
    entries: HashMap<[u8; 32], Entry>,
    used: usize,
    limit: usize,
    clock: u64,
}

static MEMORY: Mutex<Option<Memory>> = Mutex::new(None);
static DIR: Mutex<Option<PathBuf>> = Mutex::new(None);
static COMPILED: AtomicU64 = AtomicU64::new(0);
static MEMORY_HITS: AtomicU64 = AtomicU64::new(0);
static DISK_HITS: AtomicU64 = AtomicU64::new(0);

/// What the cache has done in this process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Modules compiled (cache misses).
    pub compiled: u64,
    pub memory_hits: u64,
    pub disk_hits: u64,
}

pub fn stats() -> Stats {
    Stats {
        compiled: COMPILED.load(Ordering::Relaxed),
        memory_hits: MEMORY_HITS.load(Ordering::Relaxed),
        disk_hits: DISK_HITS.load(Ordering::Relaxed),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where compiled modules are kept across processes; `None` (the default) for no disk cache.
/// The directory is created (mode 0700) when first written to.
pub fn set_cache_dir(dir: Option<PathBuf>) {
    *lock(&DIR) = dir;
}

pub fn cache_dir() -> Option<PathBuf> {
    lock(&DIR).clone()
}

/// Bounds the memory cache to `bytes` (0 turns it off), evicting what no longer fits.
pub fn set_memory_limit(bytes: usize) {
    let mut memory = lock(&MEMORY);
    let memory = memory.get_or_insert_with(new_memory);
    memory.limit = bytes;
    evict(memory);
}

fn new_memory() -> Memory {
    Memory {
        entries: HashMap::new(),
        used: 0,
        limit: DEFAULT_MEMORY_LIMIT,
        clock: 0,
    }
}

fn evict(memory: &mut Memory) {
    while memory.used > memory.limit {
        let Some((&key, _)) = memory.entries.iter().min_by_key(|(_, e)| e.last_used) else {
            break;
        };
        if let Some(e) = memory.entries.remove(&key) {
            memory.used -= e.size;
        }
    }
}

/// The module of `source` (binary, or WebAssembly text) on the default engine: from the
/// memory cache, else from the disk cache, else compiled (and then cached). Setting `cancel`
/// stops a compilation under way (an `interrupt` trap): a binding's time limit or interrupt.
pub fn compile(source: &[u8], cancel: &AtomicBool) -> Result<Module> {
    let bytes = to_binary(source)?;
    let engine = default_engine();
    let mut hasher = Sha256::new();
    hasher.update(engine.cache_key().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let key: [u8; 32] = hasher.finalize().into();

    if let Some(memory) = lock(&MEMORY).as_mut() {
        memory.clock += 1;
        let now = memory.clock;
        if let Some(entry) = memory.entries.get_mut(&key) {
            entry.last_used = now;
            MEMORY_HITS.fetch_add(1, Ordering::Relaxed);
            return Ok(entry.module.clone());
        }
    }
    let file = cache_dir().map(|dir| dir.join(format!("{}.wasmc", hex(&key))));
    let module = match file.as_deref().and_then(load) {
        Some(module) => {
            DISK_HITS.fetch_add(1, Ordering::Relaxed);
            module
        }
        None => {
            let module = Module::new_cancellable(engine, &bytes, cancel)?;
            COMPILED.fetch_add(1, Ordering::Relaxed);
            if let Some(file) = &file {
                // Without a writable cache directory the module is still good: no caching.
                let _ = store(file, &module.serialize());
            }
            module
        }
    };
    let mut memory = lock(&MEMORY);
    let memory = memory.get_or_insert_with(new_memory);
    let size = module.inner.bytes.len() + module.inner.artifact.code.len();
    if size <= memory.limit {
        memory.clock += 1;
        let entry = Entry { module: module.clone(), size, last_used: memory.clock };
        if let Some(old) = memory.entries.insert(key, entry) {
            memory.used -= old.size;
        }
        memory.used += size;
        evict(memory);
    }
    Ok(module)
}

/// WebAssembly text as binary; binary (and nothing at all) as it is.
fn to_binary(source: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    if source.is_empty() || source.starts_with(b"\0asm") {
        return Ok(source.into());
    }
    if !matches!(source.trim_ascii_start().first(), Some(b'(' | b';')) {
        return Err(Error::Compile(
            "not a WebAssembly module: neither the \\0asm header of a binary module nor WebAssembly text".into(),
        ));
    }
    wat::parse_bytes(source).map_err(|e| Error::Compile(format!("invalid WebAssembly text: {e}")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The module in cache file `file`, if it is there and loads.
fn load(file: &Path) -> Option<Module> {
    let blob = std::fs::read(file).ok()?;
    // SAFETY: the cache directory is the embedder's own (created 0700), written only by this
    // engine; an entry damaged since fails the checksum and is compiled again.
    unsafe { Module::deserialize(default_engine(), &blob) }.ok()
}

/// Writes `blob` to `file` atomically: to a temporary file of its own, then renamed.
fn store(file: &Path, blob: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::DirBuilderExt;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = file.parent().expect("a cache file is in the cache directory");
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let temp = dir.join(format!(
        ".{}.{}.{}.tmp",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("module"),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        out.write_all(blob)?;
        out.sync_all()?;
        std::fs::rename(&temp, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
