//! Serialized modules and the module cache: a round trip keeps results, traps and names; a
//! damaged, truncated, foreign or older-format blob is refused, never run; the process cache
//! answers from memory and from disk, survives corrupt and old entries and unwritable
//! directories, and two processes filling one directory at once leave only whole entries.

mod common;

/// A cancel flag never set.
static NEVER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

use common::*;
use engine::embed::cache;
use engine::{Config, Engine, MemoryMode, Module, Store, TrapCode, Val};
use std::process::Command;

const SOURCE: &str = r#"
(module
  (memory (export "memory") 1)
  (data (i32.const 8) "hello")
  (func $boom (export "boom") unreachable)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
"#;

fn deserialize(engine: &Engine, blob: &[u8]) -> engine::Result<Module> {
    // SAFETY: the blobs of these tests come from this engine, damaged on purpose; a damaged
    // one must be refused before any of its code runs.
    unsafe { Module::deserialize(engine, blob) }
}

/// `blob` as the engine before Cranelift 0.135 wrote it: format version 2, its engine
/// description naming Cranelift 0.112.3, and a checksum that matches (an intact old file).
fn old_format(blob: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let (magic, rest) = blob.split_at(8);
    let key_len = u32::from_le_bytes(rest[4..8].try_into().unwrap()) as usize;
    let key = std::str::from_utf8(&rest[8..8 + key_len]).unwrap();
    let old_key: Vec<&str> = key
        .split("; ")
        .map(|part| if part.starts_with("cranelift ") { "cranelift 0.112.3" } else { part })
        .collect();
    let old_key = old_key.join("; ");
    assert_ne!(old_key, key, "the description names Cranelift: {key}");
    let mut old = magic.to_vec();
    old.extend_from_slice(&2u32.to_le_bytes());
    old.extend_from_slice(&(old_key.len() as u32).to_le_bytes());
    old.extend_from_slice(old_key.as_bytes());
    old.extend_from_slice(&rest[8 + key_len..rest.len() - 32]);
    let digest = Sha256::digest(&old);
    old.extend_from_slice(&digest);
    old
}

fn check_module(module: &Module) {
    let store = Store::new(module.engine());
    let instance = engine::Instance::new(&store, module, &[]).unwrap();
    assert_eq!(i32s(&call(&instance, "add", &[Val::I32(40), Val::I32(2)]).unwrap()), [42]);
    assert_eq!(i32s(&call(&instance, "load", &[Val::I32(8)]).unwrap()), [b'h' as i32]);
    let trap = call(&instance, "boom", &[]).unwrap_err().to_string();
    assert!(
        trap.starts_with("wasm trap: unreachable executed (unreachable) in function `boom`\nwasm backtrace:\n    0:"),
        "{trap}"
    );
    assert!(trap.ends_with(" - boom"), "the frame's module offset and name survive the cache: {trap}");
    let trap = call(&instance, "div", &[Val::I32(1), Val::I32(0)]).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::IntegerDivideByZero));
}

#[test]
fn a_round_trip_keeps_results_traps_and_names() {
    let engine = engine();
    let module = Module::new(&engine, &wat(SOURCE)).unwrap();
    let blob = module.serialize();
    let back = deserialize(&engine, &blob).unwrap();
    check_module(&back);
    assert_eq!(back.code_image(), module.code_image());
    assert_eq!(back.serialize(), blob);
}

#[test]
fn every_damage_is_refused() {
    let engine = engine();
    let blob = Module::new(&engine, &wat(SOURCE)).unwrap().serialize();
    let refused = |bytes: &[u8]| match deserialize(&engine, bytes) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a damaged blob loaded"),
    };
    assert!(refused(b"\0asm\x01\0\0\0").contains("not a serialized module"));
    let mut bad_magic = blob.clone();
    bad_magic[3] ^= 1;
    assert!(refused(&bad_magic).contains("not a serialized module"));
    let mut bad_format = blob.clone();
    bad_format[8] = 99;
    assert!(refused(&bad_format).contains("format version 99"));
    let mut bad_sum = blob.clone();
    let last = bad_sum.len() - 1;
    bad_sum[last] ^= 0x80;
    assert!(refused(&bad_sum).contains("checksum"));
    for sixteenth in 0..16 {
        let cut = blob.len() * sixteenth / 16;
        let m = refused(&blob[..cut]);
        assert!(m.contains("cannot load"), "cut at {cut}: {m}");
    }
    // Flips anywhere: refused (the checksum), never run.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..500 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut flipped = blob.clone();
        let at = (seed as usize) % flipped.len();
        flipped[at] ^= 1 << (seed >> 60 & 7);
        refused(&flipped);
    }
}

#[test]
fn a_blob_of_an_older_format_version_is_refused_as_such() {
    let engine = engine();
    let blob = Module::new(&engine, &wat(SOURCE)).unwrap().serialize();
    let old = old_format(&blob);
    let message = match deserialize(&engine, &old) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a blob of format version 2 loaded"),
    };
    assert!(
        message.starts_with("compile error: cannot load the serialized module: it is format version 2, written by an older engine;")
            && message.contains("this engine reads version 3 only: compile the module again"),
        "{message}"
    );
    let mut newer = blob.clone();
    newer[8..12].copy_from_slice(&4u32.to_le_bytes());
    let message = deserialize(&engine, &newer).err().expect("refused").to_string();
    assert!(message.contains("format version 4, written by a newer engine"), "{message}");
}

#[test]
fn a_blob_from_another_configuration_is_refused_by_name() {
    let fixed = Engine::new(Config::new().memory_mode(MemoryMode::Static)).unwrap();
    let checked = Engine::new(Config::new().memory_mode(MemoryMode::Dynamic)).unwrap();
    let blob = Module::new(&fixed, &wat(SOURCE)).unwrap().serialize();
    let message = deserialize(&checked, &blob).err().expect("refused").to_string();
    assert!(message.contains("another engine or for another CPU") && message.contains("memory"), "{message}");
}

/// The process-wide cache, step by step in one test (it is global state).
#[test]
fn the_process_cache_answers_from_memory_then_disk() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("modules");
    cache::set_cache_dir(Some(cache_dir.clone()));
    let bytes = wat(SOURCE);
    let before = cache::stats();

    let first = cache::compile(&bytes, &NEVER).unwrap();
    check_module(&first);
    let again = cache::compile(&bytes, &NEVER).unwrap();
    assert_eq!(again.code_image(), first.code_image());
    let after = cache::stats();
    assert_eq!(after.compiled - before.compiled, 1);
    assert_eq!(after.memory_hits - before.memory_hits, 1);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&cache_dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let entries: Vec<_> = std::fs::read_dir(&cache_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");

    // Text is accepted, and is the same module as its binary.
    let text = cache::compile(SOURCE.as_bytes(), &NEVER).unwrap();
    assert_eq!(text.code_image(), first.code_image());
    let error = cache::compile(b"(module (func (result i32) i32.const))", &NEVER).err().unwrap().to_string();
    assert!(error.contains("invalid WebAssembly text") && error.contains(":1:"), "{error}");

    // A fresh process, as far as the cache knows: memory emptied, the disk entry loads.
    cache::set_memory_limit(0);
    cache::set_memory_limit(cache::DEFAULT_MEMORY_LIMIT);
    let from_disk = cache::compile(&bytes, &NEVER).unwrap();
    check_module(&from_disk);
    assert_eq!(cache::stats().disk_hits - before.disk_hits, 1);

    // A corrupt entry is compiled again and replaced.
    std::fs::write(&entries[0], b"garbage").unwrap();
    cache::set_memory_limit(0);
    cache::set_memory_limit(cache::DEFAULT_MEMORY_LIMIT);
    check_module(&cache::compile(&bytes, &NEVER).unwrap());
    assert_eq!(cache::stats().compiled - before.compiled, 2);
    assert!(deserialize(&engine::embed::default_engine().clone(), &std::fs::read(&entries[0]).unwrap()).is_ok());

    // So is an intact entry an older engine wrote (format version 2): never loaded as it is.
    let replaced = std::fs::read(&entries[0]).unwrap();
    std::fs::write(&entries[0], old_format(&replaced)).unwrap();
    cache::set_memory_limit(0);
    cache::set_memory_limit(cache::DEFAULT_MEMORY_LIMIT);
    check_module(&cache::compile(&bytes, &NEVER).unwrap());
    assert_eq!(cache::stats().compiled - before.compiled, 3);
    assert_eq!(cache::stats().disk_hits - before.disk_hits, 1);
    assert_eq!(std::fs::read(&entries[0]).unwrap(), replaced, "the entry is this engine's again");

    // The memory bound evicts the least recently used.
    let size_of_one = bytes.len() + first.code_image().len();
    cache::set_memory_limit(size_of_one * 2);
    let other = |n: i32| wat(&format!("(module (func (export \"f\") (result i32) i32.const {n}))"));
    cache::set_cache_dir(None);
    let compiled = cache::stats().compiled;
    for n in 0..20 {
        cache::compile(&other(n), &NEVER).unwrap();
    }
    cache::compile(&other(0), &NEVER).unwrap();
    assert_eq!(cache::stats().compiled - compiled, 21, "module 0 was evicted, so compiled again");
    cache::compile(&other(0), &NEVER).unwrap();
    assert_eq!(cache::stats().compiled - compiled, 21, "and is now in memory");

    // A cache directory that cannot be written: modules still compile.
    let blocked = dir.path().join("file-not-dir");
    std::fs::write(&blocked, b"").unwrap();
    cache::set_cache_dir(Some(blocked.join("modules")));
    check_module(&cache::compile(&wat(&SOURCE.replace("hello", "howdy")), &NEVER).unwrap());
    cache::set_cache_dir(None);
    cache::set_memory_limit(cache::DEFAULT_MEMORY_LIMIT);
}

/// Two processes filling one cache directory at once leave whole entries only.
#[test]
fn two_processes_share_a_cache_directory() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--ignored", "--exact", "--nocapture", "--test-threads=1", "child_fill_cache"])
                .env("CACHE_TEST_DIR", dir.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let engine = engine::embed::default_engine();
    let mut entries = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some("wasmc"), "left over: {path:?}");
        deserialize(engine, &std::fs::read(&path).unwrap()).expect("a whole entry");
        entries += 1;
    }
    assert_eq!(entries, 30);
}

#[test]
#[ignore = "run by two_processes_share_a_cache_directory"]
fn child_fill_cache() {
    cache::set_cache_dir(Some(std::env::var_os("CACHE_TEST_DIR").unwrap().into()));
    for n in 0..30 {
        let module = cache::compile(&wat(&format!("(module (func (export \"f\") (result i32) i32.const {n}) (memory 1))")), &NEVER).unwrap();
        let store = Store::new(module.engine());
        let instance = engine::Instance::new(&store, &module, &[]).unwrap();
        assert_eq!(i32s(&call(&instance, "f", &[]).unwrap()), [n]);
    }
}
