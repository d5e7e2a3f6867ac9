//! WASI through the engine's API: the sandbox holds (`..`, absolute paths, symlinks out,
//! read-only preopens), `proc_exit` is an exit and not an error, bad guest pointers trap,
//! stdio is captured, and bad configurations are refused naming the option.

mod common;

use common::wat;
use engine::wasi::{Input, Output, Preopen, Wasi, WasiConfig};
use engine::{Error, Instance, Linker, Module, Store, TrapCode, Val};
use std::path::Path;

/// A guest that opens the path the host writes at 1024 in the preopen (fd 3), and reads
/// what it opened into 2048.
const GUEST: &str = r#"
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; open(len, oflags, rights) -> errno; the new fd at 0. Follows symlinks.
  (func (export "open") (param $len i32) (param $oflags i32) (param $rights i64) (result i32)
    (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (local.get $len)
      (local.get $oflags) (local.get $rights) (local.get $rights) (i32.const 0) (i32.const 0)))
  ;; read() -> errno; the byte count at 8, the bytes at 2048.
  (func (export "read") (result i32)
    (i32.store (i32.const 16) (i32.const 2048))
    (i32.store (i32.const 20) (i32.const 1024))
    (call $fd_read (i32.load (i32.const 0)) (i32.const 16) (i32.const 1) (i32.const 8)))
  ;; say() writes "hi\n" to stdout and "oops" to stderr.
  (data (i32.const 512) "hi\0a")
  (data (i32.const 516) "oops")
  (func (export "say")
    (i32.store (i32.const 16) (i32.const 512))
    (i32.store (i32.const 20) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 16) (i32.const 516))
    (i32.store (i32.const 20) (i32.const 4))
    (drop (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 8))))
  ;; echo() copies stdin to stdout (one read).
  (func (export "echo") (result i32)
    (i32.store (i32.const 16) (i32.const 2048))
    (i32.store (i32.const 20) (i32.const 1024))
    (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 20) (i32.load (i32.const 8)))
    (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8)))
  ;; An iovec list far outside memory.
  (func (export "bad_pointer") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0x7ffffff0) (i32.const 1) (i32.const 8)))
  (func (export "_start") (call $proc_exit (i32.const 7)))
  (func (export "exit") (param i32) (call $proc_exit (local.get 0))))
"#;

const O_CREAT: i32 = 1;
const RIGHT_READ: i64 = 1 << 1;
const RIGHT_WRITE: i64 = 1 << 6;

struct Guest {
    wasi: Wasi,
    instance: Instance,
}

impl Guest {
    fn new(config: WasiConfig) -> Guest {
        let engine = common::engine();
        let wasi = Wasi::new(&config).unwrap();
        let store = Store::new(&engine);
        let module = Module::new(&engine, &wat(GUEST)).unwrap();
        let mut linker = Linker::new();
        wasi.add_to_linker(&store, &mut linker);
        let instance = linker.instantiate(&store, &module).unwrap();
        Guest { wasi, instance }
    }

    fn with_preopen(dir: &Path, read_only: bool) -> Guest {
        Guest::new(WasiConfig {
            preopens: vec![Preopen { guest: "/sandbox".into(), host: dir.to_owned(), read_only }],
            ..Default::default()
        })
    }

    fn call(&self, name: &str, args: &[Val]) -> engine::Result<i32> {
        let results = common::call(&self.instance, name, args)?;
        Ok(match results.first() {
            Some(Val::I32(v)) => *v,
            _ => 0,
        })
    }

    /// Opens `path` (relative to the preopen); on success reads it: the errno of the first
    /// step that failed, or the bytes.
    fn read(&self, path: &str) -> Result<Vec<u8>, i32> {
        let memory = self.instance.memory().unwrap();
        memory.write(1024, path.as_bytes()).unwrap();
        let errno = self
            .call("open", &[Val::I32(path.len() as i32), Val::I32(0), Val::I64(RIGHT_READ)])
            .unwrap();
        if errno != 0 {
            return Err(errno);
        }
        let errno = self.call("read", &[]).unwrap();
        if errno != 0 {
            return Err(errno);
        }
        let mut count = [0u8; 4];
        memory.read(8, &mut count).unwrap();
        let mut bytes = vec![0u8; u32::from_le_bytes(count) as usize];
        memory.read(2048, &mut bytes).unwrap();
        Ok(bytes)
    }

    fn create(&self, path: &str) -> i32 {
        self.instance.memory().unwrap().write(1024, path.as_bytes()).unwrap();
        self.call("open", &[Val::I32(path.len() as i32), Val::I32(O_CREAT), Val::I64(RIGHT_WRITE)])
            .unwrap()
    }
}

/// A sandbox directory with `inside.txt`, next to `secret.txt` that must stay out of reach,
/// and symlinks inside pointing out of it.
fn sandbox() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("sandbox");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("inside.txt"), "inside").unwrap();
    std::fs::write(root.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(root.path().join("secret.txt"), dir.join("absolute_link")).unwrap();
    std::os::unix::fs::symlink("../secret.txt", dir.join("relative_link")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("etc_link")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.join("etc_dir")).unwrap();
    std::os::unix::fs::symlink("inside.txt", dir.join("good_link")).unwrap();
    (root, dir)
}

#[test]
fn a_guest_reads_inside_its_preopen() {
    let (_root, dir) = sandbox();
    let guest = Guest::with_preopen(&dir, false);
    assert_eq!(guest.read("inside.txt").unwrap(), b"inside");
    assert_eq!(guest.read("good_link").unwrap(), b"inside");
    assert_eq!(guest.read("./sub/../inside.txt").map_err(|e| e != 0), Err(true), "no such subdir");
}

#[test]
fn nothing_outside_the_preopen_is_reachable() {
    let (_root, dir) = sandbox();
    let guest = Guest::with_preopen(&dir, false);
    for path in [
        "../secret.txt",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "absolute_link",
        "relative_link",
        "etc_link",
        "etc_dir/passwd",
        "inside.txt/../../secret.txt",
    ] {
        let outcome = guest.read(path);
        assert!(outcome.is_err(), "{path} was readable: {:?}", outcome.map(String::from_utf8));
    }
    // Nor can anything be created outside.
    assert_ne!(guest.create("../created.txt"), 0);
    assert!(!dir.parent().unwrap().join("created.txt").exists());
}

#[test]
fn a_read_only_preopen_refuses_changes() {
    let (_root, dir) = sandbox();
    let guest = Guest::with_preopen(&dir, true);
    assert_eq!(guest.read("inside.txt").unwrap(), b"inside");
    assert_ne!(guest.create("new.txt"), 0);
    assert!(!dir.join("new.txt").exists());
    let writable = Guest::with_preopen(&dir, false);
    assert_eq!(writable.create("new.txt"), 0);
    assert!(dir.join("new.txt").exists());
}

#[test]
fn proc_exit_is_an_exit_and_start_turns_it_into_the_status() {
    let guest = Guest::new(WasiConfig::default());
    assert_eq!(engine::wasi::start(&guest.instance).unwrap(), 7);
    match guest.call("exit", &[Val::I32(3)]) {
        Err(Error::Exit(3)) => {}
        other => panic!("expected an exit with status 3, got {other:?}"),
    }
}

#[test]
fn a_pointer_outside_memory_traps() {
    let guest = Guest::new(WasiConfig::default());
    match guest.call("bad_pointer", &[]) {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code, TrapCode::MemoryOutOfBounds);
            assert_eq!(t.function.as_deref(), Some("wasi_snapshot_preview1.fd_write"));
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn stdio_is_captured_and_stdin_given() {
    let guest = Guest::new(WasiConfig {
        stdin: Input::Bytes(b"from the host".to_vec()),
        ..Default::default()
    });
    guest.call("say", &[]).unwrap();
    guest.call("echo", &[]).unwrap();
    assert_eq!(guest.wasi.stdout(), b"hi\nfrom the host");
    assert_eq!(guest.wasi.stderr(), b"oops");
    let quiet = Guest::new(WasiConfig { stdout: Output::Discard, ..Default::default() });
    quiet.call("say", &[]).unwrap();
    assert!(quiet.wasi.stdout().is_empty());
}

#[test]
fn bad_configurations_name_the_option() {
    let message = |config: WasiConfig| match Wasi::new(&config) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    };
    let m = message(WasiConfig {
        preopens: vec![Preopen { guest: "/data".into(), host: "/no/such/dir".into(), read_only: false }],
        ..Default::default()
    });
    assert!(m.contains("preopen `/data`") && m.contains("/no/such/dir"), "{m}");
    let m = message(WasiConfig { env: vec![("A=B".into(), "c".into())], ..Default::default() });
    assert!(m.contains("WASI env") && m.contains("A=B"), "{m}");
    let m = message(WasiConfig { args: vec!["a\0b".into()], ..Default::default() });
    assert!(m.contains("WASI args: argument 0"), "{m}");
}
