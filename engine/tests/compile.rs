//! Compiling: on all cores or on one, the same code and the same first error.

mod common;

use engine::{Config, Engine, Module};

/// A module of `n` functions of different sizes, the `bad`-th (if any) invalid.
fn many_functions(n: usize, bad: Option<usize>) -> Vec<u8> {
    let mut src = String::from("(module\n");
    for i in 0..n {
        let mut body = String::from("(local.get 0)");
        for k in 0..(i % 7) * 5 {
            body = format!("(i32.add {body} (i32.mul (local.get 0) (i32.const {k})))");
        }
        if Some(i) == bad {
            body = "(f32.const 1)".into();
        }
        src.push_str(&format!("  (func (export \"f{i}\") (param i32) (result i32) {body})\n"));
    }
    src.push(')');
    // The invalid body must reach the compiler, not the text parser: wat checks no types.
    common::wat(&src)
}

fn engine(parallel: bool) -> Engine {
    Engine::new(Config::new().parallel_compilation(parallel)).unwrap()
}

#[test]
fn parallel_and_serial_compilation_give_the_same_code() {
    let bytes = many_functions(100, None);
    let serial = Module::new(&engine(false), &bytes).unwrap();
    let parallel = Module::new(&engine(true), &bytes).unwrap();
    assert_eq!(serial.code_image(), parallel.code_image());
    // And again: the order threads pick functions in does not matter.
    assert_eq!(parallel.code_image(), Module::new(&engine(true), &bytes).unwrap().code_image());
}

#[test]
fn the_first_invalid_function_is_reported_either_way() {
    let bytes = many_functions(100, Some(60));
    let message = |parallel| match Module::new(&engine(parallel), &bytes) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("an invalid module compiled"),
    };
    let serial = message(false);
    assert!(serial.contains("f60"), "{serial}");
    assert_eq!(message(true), serial);
}

/// A compilation stops with an `interrupt` trap once its cancel flag is set (a binding's time
/// limit, from a signal handler or another thread), and compiles normally otherwise.
#[test]
fn a_compile_can_be_cancelled() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let sqlite = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/sqlite.wasm")).unwrap();
    let engine = engine::Engine::default();
    let cancel = AtomicBool::new(true);
    let error = engine::Module::new_cancellable(&engine, &sqlite, &cancel).err().expect("cancelled");
    assert_eq!(error.trap_code(), Some(engine::TrapCode::Interrupt), "{error}");
    // Set from another thread while it compiles: it stops well before the end.
    cancel.store(false, Ordering::Relaxed);
    let start = std::time::Instant::now();
    let stopped = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            cancel.store(true, Ordering::Relaxed);
        });
        engine::Module::new_cancellable(&engine, &sqlite, &cancel)
    });
    assert_eq!(stopped.err().and_then(|e| e.trap_code()), Some(engine::TrapCode::Interrupt));
    let cancelled_after = start.elapsed();
    cancel.store(false, Ordering::Relaxed);
    let start = std::time::Instant::now();
    engine::Module::new_cancellable(&engine, &sqlite, &cancel).unwrap();
    assert!(cancelled_after < start.elapsed(), "{cancelled_after:?} vs a whole compile {:?}", start.elapsed());
}
