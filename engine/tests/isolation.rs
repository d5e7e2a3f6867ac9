//! Behaviour that needs a process of its own: a low address-space limit, and faults that are
//! not ours. Each test re-runs this binary on one `#[ignore]`d child test.

mod common;
use common::*;
use engine::{Error, Store, TrapCode, Val};
use std::os::unix::process::CommandExt;
use std::process::Command;

fn run_child(test: &str, setup: impl FnMut() -> std::io::Result<()> + Send + Sync + 'static) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--ignored", "--exact", "--nocapture", "--test-threads=1", test]);
    unsafe { cmd.pre_exec(setup) };
    cmd.output().unwrap()
}

/// Runs the child test `test` with an address space of `bytes`, and checks that it passed.
fn run_limited(test: &str, bytes: u64) {
    let out = run_child(test, move || {
        let limit = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: bytes,
        };
        if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 passed"), "the child test did not run:\n{stdout}");
}

const MEMORY: &str = r#"
(module
  (memory (export "memory") 1 100)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "load_offset") (param i32) (result i32) local.get 0 i32.load offset=65535)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      local.get 0 i32.eqz br_if 1
      local.get 0 i32.const 4 i32.sub local.tee 0
      i32.load local.get 1 i32.add local.set 1
      br 0))
    local.get 1))
"#;

/// With RLIMIT_AS too low for a 6 GiB reservation, memories fall back to explicit bounds
/// checks and behave the same.
#[test]
fn low_address_space_limit_uses_bounds_checks() {
    run_limited("child_bounds_checked_memory", 3 << 30);
}

#[test]
#[ignore = "run by low_address_space_limit_uses_bounds_checks in a limited process"]
fn child_bounds_checked_memory() {
    assert!(engine().memory_mode() == engine::MemoryMode::Dynamic, "the 6 GiB reservation should have failed");
    let store = Store::new(&engine());
    let i = instantiate(&store, MEMORY);
    call(&i, "store", &[Val::I32(65532), Val::I32(7)]).unwrap();
    assert_eq!(i32s(&call(&i, "load", &[Val::I32(65532)]).unwrap()), [7]);
    for (f, arg) in [("load", 65533), ("load", -1), ("load_offset", 1), ("store", 65534)] {
        let args = if f == "store" { vec![Val::I32(arg), Val::I32(0)] } else { vec![Val::I32(arg)] };
        let err = call(&i, f, &args).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{f}({arg}): {err}");
    }
    // Growing moves the memory when its reservation is full: code must follow the new base.
    for _ in 0..20 {
        assert!(i32s(&call(&i, "grow", &[Val::I32(4)]).unwrap())[0] > 0);
    }
    let pages = i.memory().unwrap().pages().unwrap();
    assert_eq!(pages, 81);
    let last = pages as i32 * 65536 - 4;
    call(&i, "store", &[Val::I32(last), Val::I32(9)]).unwrap();
    assert_eq!(i32s(&call(&i, "load", &[Val::I32(last)]).unwrap()), [9]);
    assert_eq!(i32s(&call(&i, "sum", &[Val::I32(65536)]).unwrap()), [7]);
    assert_eq!(i32s(&call(&i, "grow", &[Val::I32(100)]).unwrap()), [-1], "past the maximum");
}

/// With room for a few 6 GiB reservations but not many (valgrind holds 20), memories are
/// bounds-checked from the start: static code could not fall back when the 21st failed.
#[test]
fn room_for_few_static_memories_uses_bounds_checks() {
    run_limited("child_many_memories", 100 << 30);
}

#[test]
#[ignore = "run by room_for_few_static_memories_uses_bounds_checks in a limited process"]
fn child_many_memories() {
    assert!(engine().memory_mode() == engine::MemoryMode::Dynamic, "16 reservations fit, not 32");
    let instances: Vec<_> = (0..40).map(|_| instantiate(&Store::new(&engine()), MEMORY)).collect();
    for (n, i) in instances.iter().enumerate() {
        call(i, "store", &[Val::I32(8), Val::I32(n as i32)]).unwrap();
    }
    for (n, i) in instances.iter().enumerate() {
        assert_eq!(i32s(&call(i, "load", &[Val::I32(8)]).unwrap()), [n as i32]);
    }
}

/// A fault outside wasm goes to the handler installed before ours.
#[test]
fn foreign_faults_reach_the_previous_handler() {
    let out = run_child("child_foreign_fault", || Ok(()));
    assert_eq!(
        out.status.code(),
        Some(42),
        "child output:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "run by foreign_faults_reach_the_previous_handler in its own process"]
fn child_foreign_fault() {
    extern "C" fn embedder_handler(_: libc::c_int) {
        unsafe { libc::_exit(42) };
    }
    unsafe {
        libc::signal(libc::SIGSEGV, embedder_handler as *const () as libc::sighandler_t);
    }
    // Entering wasm installs the engine's handlers on top of the embedder's.
    let store = Store::new(&engine());
    let i = instantiate(&store, MEMORY);
    let err = call(&i, "load", &[Val::I32(-4)]).unwrap_err();
    assert!(matches!(err, Error::Trap(_)));
    unsafe { std::ptr::write_volatile(16 as *mut u32, 1) };
    unreachable!("the write must fault");
}

/// A module using every kind of thing compiled code reaches outside itself: calls between
/// its functions and to imports, `call_indirect` (type ids), memory and table builtins,
/// globals, the interrupt flag and the stack limit.
const EVERYTHING: &str = r#"
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (memory 1 10)
  (table 4 funcref)
  (global $g (mut i32) (i32.const 1))
  (elem (i32.const 0) $inc $f)
  (data "abc")
  (func $inc (type $t) local.get 0 i32.const 1 i32.add)
  (func (export "run") (param i32) (result i32)
    (loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
    i32.const 1 memory.grow drop
    i32.const 0 i32.const 0 i32.const 3 memory.copy
    i32.const 0 i32.const 0 i32.const 3 memory.init 0
    i32.const 0 ref.null func i32.const 1 table.fill
    global.get $g local.get 0 call $f
    i32.const 0 call_indirect (type $t) i32.add
    f32.const 1.5 f32.ceil i32.trunc_f32_s i32.add))
"#;

/// Compiles the same modules in two processes and compares the compiled images byte for
/// byte: compiled code holds no address of the process (ASLR moves every address between
/// the two runs, which the test checks too).
#[test]
fn compiled_code_is_the_same_in_two_processes() {
    let run = |n: u32| {
        let dir = std::env::temp_dir().join(format!("engine-image-{}-{n}", std::process::id()));
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "--nocapture", "--test-threads=1", "child_write_code_images"])
            .env("ENGINE_IMAGE_DIR", &dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success() && stdout.contains("1 passed"), "child failed:\n{stdout}");
        let address = stdout.split("address ").nth(1).and_then(|l| l.lines().next()).unwrap().to_owned();
        let images: Vec<Vec<u8>> = ["nbody", "everything"]
            .iter()
            .map(|name| std::fs::read(dir.join(name)).unwrap())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        (address, images)
    };
    let (first_address, first) = run(1);
    let (second_address, second) = run(2);
    assert_ne!(first_address, second_address, "ASLR is off: the test would prove nothing");
    for (a, b) in first.iter().zip(&second) {
        assert!(a.len() > 100);
        assert!(a == b, "the compiled images differ between the two processes");
    }
}

#[test]
#[ignore = "run by compiled_code_is_the_same_in_two_processes in a process of its own"]
fn child_write_code_images() {
    let dir = std::path::PathBuf::from(std::env::var_os("ENGINE_IMAGE_DIR").unwrap());
    std::fs::create_dir_all(&dir).unwrap();
    let nbody = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/nbody.wasm")).unwrap();
    for (name, bytes) in [("nbody", nbody), ("everything", wat(EVERYTHING))] {
        let module = engine::Module::new(&engine(), &bytes).unwrap();
        std::fs::write(dir.join(name), module.code_image()).unwrap();
    }
    // Where this process's code and data are, to show that the two runs differ.
    let store = Store::new(&engine());
    println!("address {:p} {:p}", child_write_code_images as fn(), &store);
}
