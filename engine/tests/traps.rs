//! Every trap comes back as an error with its code and function, and the process goes on.

mod common;
use common::*;
use engine::{Error, Func, FuncType, Instance, Module, Store, TrapCode, Val, ValType};

const TRAPS: &str = r#"
(module
  (type $v (func))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 1) $nop)
  (func $nop)
  (func (export "unreachable") unreachable)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "store") (param i32) local.get 0 i32.const 1 i32.store)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
  (func (export "call_null") i32.const 0 call_indirect (type $v))
  (func (export "call_oob") i32.const 5 call_indirect (type $v))
  (func (export "call_bad_sig") (result i32) i32.const 1 call_indirect (result i32))
  (func $recurse (export "recurse") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $recurse)
  (func $named_trap unreachable)
  (func (export "nested") call $named_trap)
)
"#;

fn trap_of(result: engine::Result<Vec<Val>>) -> engine::Trap {
    match result {
        Err(Error::Trap(t)) => t,
        Err(other) => panic!("expected a trap, got error {other}"),
        Ok(v) => panic!("expected a trap, got {v:?}"),
    }
}

#[test]
fn each_trap_has_its_code() {
    let store = Store::new(&engine());
    let i = instantiate(&store, TRAPS);
    let cases: &[(&str, &[Val], TrapCode)] = &[
        ("unreachable", &[], TrapCode::Unreachable),
        ("load", &[Val::I32(65536)], TrapCode::MemoryOutOfBounds),
        ("load", &[Val::I32(-1)], TrapCode::MemoryOutOfBounds),
        ("store", &[Val::I32(65533)], TrapCode::MemoryOutOfBounds),
        ("div", &[Val::I32(1), Val::I32(0)], TrapCode::IntegerDivideByZero),
        ("div", &[Val::I32(i32::MIN), Val::I32(-1)], TrapCode::IntegerOverflow),
        ("trunc", &[Val::f64(f64::NAN)], TrapCode::BadConversionToInteger),
        ("trunc", &[Val::f64(1e100)], TrapCode::IntegerOverflow),
        ("call_null", &[], TrapCode::IndirectCallToNull),
        ("call_oob", &[], TrapCode::TableOutOfBounds),
        ("call_bad_sig", &[], TrapCode::BadSignature),
        ("recurse", &[Val::I32(0)], TrapCode::StackOverflow),
    ];
    for (name, args, code) in cases {
        let trap = trap_of(call(&i, name, args));
        assert_eq!(trap.code, *code, "{name}({args:?}): {trap}");
    }
    // The instance still works after all of that.
    assert_eq!(i32s(&call(&i, "div", &[Val::I32(84), Val::I32(2)]).unwrap()), [42]);
}

#[test]
fn trap_names_the_function() {
    let store = Store::new(&engine());
    let i = instantiate(&store, TRAPS);
    let trap = trap_of(call(&i, "nested", &[]));
    assert_eq!(trap.function.as_deref(), Some("named_trap"));
    assert!(
        trap.to_string().starts_with("wasm trap: unreachable executed (unreachable) in function `named_trap`\nwasm backtrace:\n"),
        "{trap}"
    );
    let trap = trap_of(call(&i, "load", &[Val::I32(70000)]));
    assert_eq!(trap.function.as_deref(), Some("load"), "export names stand in for missing names");
}

#[test]
fn many_traps_in_a_loop() {
    let store = Store::new(&engine());
    let i = instantiate(&store, TRAPS);
    for n in 0..10_000 {
        let trap = trap_of(call(&i, "load", &[Val::I32(65536 + n)]));
        assert_eq!(trap.code, TrapCode::MemoryOutOfBounds);
    }
}

#[test]
fn stack_overflow_on_a_small_thread() {
    // Compiled here: cranelift itself needs more than the small stack in debug builds.
    let module = engine::Module::new(&engine(), &wat(TRAPS)).unwrap();
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let store = Store::new(&engine());
            let i = engine::Instance::new(&store, &module, &[]).unwrap();
            for _ in 0..3 {
                let trap = trap_of(call(&i, "recurse", &[Val::I32(0)]));
                assert_eq!(trap.code, TrapCode::StackOverflow);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn stack_overflow_through_host_functions() {
    // wasm -> host -> wasm -> host ... must still end in a trap, not a crash.
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(r#"
        (module
          (import "env" "again" (func $again (param i32) (result i32)))
          (func (export "go") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add call $again))
    "#))
    .unwrap();
    let slot: std::rc::Rc<std::cell::RefCell<Option<engine::Func>>> = Default::default();
    let inner = slot.clone();
    let again = Func::new(
        &store,
        FuncType::new([ValType::I32], [ValType::I32]),
        move |_, args| inner.borrow().as_ref().unwrap().call(args),
    );
    let i = engine::Instance::new(&store, &module, &[engine::Extern::Func(again)]).unwrap();
    *slot.borrow_mut() = i.get_func("go");
    let trap = trap_of(call(&i, "go", &[Val::I32(0)]));
    assert_eq!(trap.code, TrapCode::StackOverflow);
    slot.borrow_mut().take();
}

#[test]
fn host_error_comes_back_unchanged() {
    #[derive(Debug, PartialEq)]
    struct Marker(u32);
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(r#"
        (module
          (import "env" "fail" (func $fail (param i32)))
          (global $after (export "after") (mut i32) (i32.const 0))
          (func (export "run") (param i32)
            local.get 0 call $fail
            i32.const 1 global.set $after))
    "#))
    .unwrap();
    let fail = Func::new(&store, FuncType::new([ValType::I32], []), |_, args| match args[0] {
        Val::I32(0) => Ok(vec![]),
        Val::I32(n) => Err(Error::host(Marker(n as u32))),
        _ => unreachable!(),
    });
    let i = engine::Instance::new(&store, &module, &[engine::Extern::Func(fail)]).unwrap();
    match call(&i, "run", &[Val::I32(7)]) {
        Err(Error::Host(payload)) => assert_eq!(payload.downcast_ref(), Some(&Marker(7))),
        other => panic!("expected the host error, got {other:?}"),
    }
    let after = match i.get_export("after") {
        Some(engine::Extern::Global(g)) => g,
        _ => panic!("no global"),
    };
    assert!(matches!(after.get().unwrap(), Val::I32(0)), "wasm stopped at the failing call");
    call(&i, "run", &[Val::I32(0)]).unwrap();
    assert!(matches!(after.get().unwrap(), Val::I32(1)));
}

#[test]
fn host_function_with_wrong_results_is_an_error() {
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(r#"
        (module (import "env" "f" (func $f (result i32)))
                (func (export "run") (result i32) call $f))
    "#))
    .unwrap();
    let f = Func::new(&store, FuncType::new([], [ValType::I32]), |_, _| Ok(vec![Val::I64(1)]));
    let i = engine::Instance::new(&store, &module, &[engine::Extern::Func(f)]).unwrap();
    let err = call(&i, "run", &[]).unwrap_err();
    assert!(matches!(err, Error::ResultType(_)), "{err}");
    assert!(err.to_string().contains("func() -> i32"), "{err}");
}

/// Interrupts the store of `handle` after `ms` milliseconds, from another thread.
fn interrupt_after(handle: engine::InterruptHandle, ms: u64) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(ms));
        handle.interrupt();
    })
}

#[test]
fn interrupt_stops_an_infinite_loop() {
    let store = Store::new(&engine());
    let i = instantiate(&store, r#"(module (func (export "spin") (loop br 0)))"#);
    let handle = store.interrupt_handle();
    let waker = interrupt_after(handle, 50);
    let trap = trap_of(call(&i, "spin", &[]));
    assert_eq!(trap.code, TrapCode::Interrupt);
    waker.join().unwrap();
    // The flag is cleared once reported: the next call runs normally.
    let i2 = instantiate(&store, r#"(module (func (export "ok") (result i32) i32.const 1))"#);
    assert_eq!(i32s(&call(&i2, "ok", &[]).unwrap()), [1]);
}

#[test]
fn a_second_thread_gets_store_busy_while_the_store_is_in_use() {
    // Thread A's wasm waits in a host function. Thread B, touching the same store meanwhile
    // (calling wasm, reading memory, reading a global), must get `Error::StoreBusy`, not race
    // with A. Once A is done, B may use the store, with a stack limit of its own: B runs on a
    // small stack and recurses without bound.
    use std::sync::{mpsc, Mutex};
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(r#"
        (module
          (import "env" "wait" (func $wait))
          (memory (export "memory") 1)
          (global (export "g") (mut i32) (i32.const 3))
          (func $recurse (export "recurse") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add call $recurse)
          (func $deep (param i32) (result i32)
            local.get 0 i32.eqz if (result i32) call $wait i32.const 0
            else local.get 0 i32.const 1 i32.sub call $deep end)
          (func (export "run") (result i32) i32.const 100 call $deep))
    "#))
    .unwrap();
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (resume_tx, resume_rx) = mpsc::channel::<()>();
    let (entered_tx, resume_rx) = (Mutex::new(entered_tx), Mutex::new(resume_rx));
    let wait = Func::new(&store, FuncType::new([], []), move |_, _| {
        entered_tx.lock().unwrap().send(()).unwrap();
        resume_rx.lock().unwrap().recv().unwrap();
        Ok(vec![])
    });
    let i = engine::Instance::new(&store, &module, &[engine::Extern::Func(wait)]).unwrap();
    let a = {
        let i = i.clone();
        std::thread::spawn(move || {
            call(&i, "run", &[]).map(|v| i32s(&v)).map_err(|e| e.to_string())
        })
    };
    entered_rx.recv().unwrap();
    let busy = {
        let i = i.clone();
        std::thread::spawn(move || {
            let memory = i.memory().unwrap();
            let global = match i.get_export("g") {
                Some(engine::Extern::Global(g)) => g,
                _ => unreachable!(),
            };
            [
                call(&i, "recurse", &[Val::I32(0)]).map(|_| ()),
                memory.read(0, &mut [0u8; 4]),
                memory.grow(1).map(|_| ()),
                global.get().map(|_| ()),
            ]
            .map(|outcome| matches!(outcome, Err(Error::StoreBusy)))
        })
        .join()
        .unwrap()
    };
    assert_eq!(busy, [true; 4], "call, read, grow, global get: each must be StoreBusy");
    resume_tx.send(()).unwrap();
    assert_eq!(a.join().unwrap().unwrap(), [0]);
    let b = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || trap_of(call(&i, "recurse", &[Val::I32(0)])).code)
        .unwrap();
    assert_eq!(b.join().unwrap(), TrapCode::StackOverflow);
}

/// With a busy wait set, a second thread waits for the first to leave the store, then runs;
/// when the wait gives up, the second thread gets `StoreBusy`.
#[test]
fn a_second_thread_waits_for_the_store_with_a_busy_wait() {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::mpsc;
    static WAITS: AtomicU32 = AtomicU32::new(0);
    static GIVE_UP: AtomicBool = AtomicBool::new(false);
    // The attempts each wait is told, which count from 0 for each entry.
    static NEXT_ATTEMPT: AtomicU32 = AtomicU32::new(0);
    static MISCOUNTED: AtomicBool = AtomicBool::new(false);
    fn wait(attempt: u32) -> bool {
        if attempt != 0 && attempt != NEXT_ATTEMPT.load(Ordering::Relaxed) {
            MISCOUNTED.store(true, Ordering::Relaxed);
        }
        NEXT_ATTEMPT.store(attempt + 1, Ordering::Relaxed);
        WAITS.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(std::time::Duration::from_millis(1));
        !GIVE_UP.load(Ordering::Relaxed)
    }
    let store = Store::new(&engine());
    store.set_busy_wait(wait);
    let module = engine::Module::new(&engine(), &wat(r#"
        (module
          (import "env" "wait" (func $wait))
          (global $g (export "g") (mut i32) (i32.const 0))
          (func (export "run") call $wait (global.set $g (i32.const 1)))
          (func (export "get") (result i32) global.get $g))
    "#))
    .unwrap();
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (resume_tx, resume_rx) = mpsc::channel::<()>();
    let (entered_tx, resume_rx) = (std::sync::Mutex::new(entered_tx), std::sync::Mutex::new(resume_rx));
    let host = Func::new(&store, FuncType::new([], []), move |_, _| {
        entered_tx.lock().unwrap().send(()).unwrap();
        resume_rx.lock().unwrap().recv().unwrap();
        Ok(vec![])
    });
    let i = engine::Instance::new(&store, &module, &[engine::Extern::Func(host)]).unwrap();
    for give_up in [false, true] {
        GIVE_UP.store(give_up, Ordering::Relaxed);
        let a = {
            let i = i.clone();
            std::thread::spawn(move || call(&i, "run", &[]).map(|_| ()).map_err(|e| e.to_string()))
        };
        entered_rx.recv().unwrap();
        let before = WAITS.load(Ordering::Relaxed);
        let b = {
            let i = i.clone();
            std::thread::spawn(move || call(&i, "get", &[]).map(|v| i32s(&v)).map_err(|e| matches!(e, Error::StoreBusy)))
        };
        // B finds the store in use and waits (or gives up at once).
        while WAITS.load(Ordering::Relaxed) == before {
            std::thread::yield_now();
        }
        resume_tx.send(()).unwrap();
        a.join().unwrap().unwrap();
        match b.join().unwrap() {
            // It ran after A: it sees what A wrote.
            Ok(v) => assert!(!give_up && v == [1], "{v:?}"),
            Err(busy) => assert!(give_up && busy, "failed, not with StoreBusy"),
        }
    }
    assert!(!MISCOUNTED.load(Ordering::Relaxed), "the attempts of a wait are not counted 0, 1, 2, ...");
}

/// A thread asking the store for a safepoint every 200 µs, until stopped. `start` returns
/// once the first request is made (a request stays until wasm answers it), so the next call
/// meets at least one.
struct SafepointAsker {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl SafepointAsker {
    fn start(handle: engine::InterruptHandle) -> SafepointAsker {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (asked_tx, asked_rx) = std::sync::mpsc::channel();
        let thread = {
            let done = done.clone();
            std::thread::spawn(move || {
                handle.request_safepoint();
                let _ = asked_tx.send(());
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                    handle.request_safepoint();
                }
            })
        };
        asked_rx.recv().unwrap();
        SafepointAsker { done, thread }
    }

    fn stop(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap();
    }
}

/// A safepoint hook runs while wasm runs (asked for from another thread), lets it go on, and
/// stops it when it says so; a plain interrupt still traps without asking it.
#[test]
fn a_safepoint_hook_runs_and_can_stop_wasm() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let store = Store::new(&common::engine());
    let instance = instantiate(
        &store,
        r#"(module (func (export "count") (param i32) (result i32) (local i32)
             (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                   (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
             (local.get 1)))"#,
    );
    let calls = Arc::new(AtomicU32::new(0));
    let stop_after = Arc::new(AtomicU32::new(u32::MAX));
    {
        let (calls, stop_after) = (calls.clone(), stop_after.clone());
        store
            .set_safepoint_hook(move || calls.fetch_add(1, Ordering::Relaxed) + 1 >= stop_after.load(Ordering::Relaxed))
            .unwrap();
    }
    let handle = store.interrupt_handle();
    let asker = SafepointAsker::start(handle.clone());
    // Going on: the loop finishes with the right count while the hook runs.
    let n = 300_000_000;
    assert_eq!(i32s(&call(&instance, "count", &[Val::I32(n)]).unwrap()), [n]);
    assert!(calls.load(Ordering::Relaxed) > 0, "the hook never ran");
    // Stopping: the hook's third answer from now is true.
    stop_after.store(calls.load(Ordering::Relaxed) + 3, Ordering::Relaxed);
    let trap = call(&instance, "count", &[Val::I32(i32::MAX)]).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::Interrupt));
    // The asker may have asked once more after the trap: the hook lets that request go on.
    stop_after.store(u32::MAX, Ordering::Relaxed);
    asker.stop();
    // Usable again; a plain interrupt traps without asking the hook.
    assert_eq!(i32s(&call(&instance, "count", &[Val::I32(10)]).unwrap()), [10]);
    let before = calls.load(Ordering::Relaxed);
    handle.interrupt();
    let trap = call(&instance, "count", &[Val::I32(10)]).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::Interrupt));
    assert_eq!(calls.load(Ordering::Relaxed), before);
}

/// A call timeout stops a tight loop with a `timeout` trap, also across a host function and
/// in a start function; the next call runs normally; no timeout, no trap.
#[test]
fn a_call_timeout_stops_wasm_that_runs_too_long() {
    use std::time::{Duration, Instant};
    let store = Store::new(&common::engine());
    let spin = r#"(module
        (import "host" "spin_more" (func $more))
        (func $spin (export "spin") (loop (br 0)))
        (func (export "via_host") (call $more))
        (func (export "quick") (result i32) (i32.const 7)))"#;
    let engine = common::engine();
    let module = engine::Module::new(&engine, &wat(spin)).unwrap();
    // The host function calls back into the instance's spinning export.
    let target: std::rc::Rc<std::cell::RefCell<Option<engine::Func>>> = Default::default();
    let inner = target.clone();
    let more = Func::new(&store, FuncType::new([], []), move |_caller, _args| {
        let spin = inner.borrow().clone().expect("set after instantiation");
        spin.call(&[])
    });
    let instance = engine::Instance::new(&store, &module, &[more.into()]).unwrap();
    *target.borrow_mut() = Some(instance.get_func("spin").unwrap());
    store.set_call_timeout(Some(Duration::from_millis(50)));
    for export in ["spin", "via_host"] {
        let start = Instant::now();
        let trap = call(&instance, export, &[]).unwrap_err();
        assert_eq!(trap.trap_code(), Some(TrapCode::Timeout), "{export}");
        assert!(start.elapsed() < Duration::from_secs(5), "{export} took {:?}", start.elapsed());
        assert_eq!(trap.to_string().split(" in function").next(), Some("wasm trap: call timed out (timeout)"));
        assert_eq!(i32s(&call(&instance, "quick", &[]).unwrap()), [7]);
    }
    // A start function that loops forever is stopped too.
    let looping_start = engine::Module::new(&engine, &wat("(module (func $s (loop (br 0))) (start $s))")).unwrap();
    let Err(trap) = engine::Instance::new(&store, &looping_start, &[]) else {
        panic!("a start function looping forever returned");
    };
    assert_eq!(trap.trap_code(), Some(TrapCode::Timeout));
    // Without a timeout, quick calls are untouched.
    store.set_call_timeout(None);
    assert_eq!(i32s(&call(&instance, "quick", &[]).unwrap()), [7]);
}

/// With periodic safepoints, the hook runs about every 10 ms of a long call, with no other
/// thread asking; a store freed while watched is forgotten by the timer.
#[test]
fn periodic_safepoints_reach_a_spinning_call() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let store = Store::new(&common::engine());
    let instance = instantiate(&store, r#"(module (func (export "spin") (loop (br 0))))"#);
    let calls = Arc::new(AtomicU32::new(0));
    {
        let calls = calls.clone();
        // Stops the wasm at the fifth safepoint: about 50 ms.
        store.set_safepoint_hook(move || calls.fetch_add(1, Ordering::Relaxed) + 1 >= 5).unwrap();
    }
    store.enable_periodic_safepoints();
    let start = std::time::Instant::now();
    let trap = call(&instance, "spin", &[]).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::Interrupt));
    assert_eq!(calls.load(Ordering::Relaxed), 5);
    assert!(start.elapsed() >= std::time::Duration::from_millis(40), "{:?}", start.elapsed());
    // Idle stores are not asked; freed ones are dropped from the timer's list safely.
    for _ in 0..50 {
        let short = Store::new(&common::engine());
        short.enable_periodic_safepoints();
    }
    std::thread::sleep(std::time::Duration::from_millis(30));
    assert_eq!(calls.load(Ordering::Relaxed), 5);
}

/// Function entries check for an interrupt in the comparison with the stack limit, and a loop
/// that calls one of the module's functions first thing has no check of its own: neither kind
/// of code can run on unstopped. Recursion without loops, and a loop that relies on its
/// callee's entry, both reach the safepoint hook (going on) and are stopped by an interrupt.
#[test]
fn code_without_loop_checks_is_stopped_at_function_entries() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let store = Store::new(&common::engine());
    let instance = instantiate(
        &store,
        r#"(module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func $one (result i32) (i32.const 1))
          (func (export "count") (param i32) (result i32) (local i32)
            (loop (local.set 1 (i32.add (call $one) (local.get 1)))
                  (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1)))"#,
    );
    let hooks = Arc::new(AtomicU32::new(0));
    {
        let hooks = hooks.clone();
        store
            .set_safepoint_hook(move || {
                hooks.fetch_add(1, Ordering::Relaxed);
                false
            })
            .unwrap();
    }
    let handle = store.interrupt_handle();
    let asker = SafepointAsker::start(handle.clone());
    // Going on: right results while the hook runs.
    assert_eq!(i32s(&call(&instance, "fib", &[Val::I32(30)]).unwrap()), [832040]);
    let after_fib = hooks.load(Ordering::Relaxed);
    assert!(after_fib > 0, "the hook never ran in loop-free recursion");
    handle.request_safepoint();
    assert_eq!(i32s(&call(&instance, "count", &[Val::I32(50_000_000)]).unwrap()), [50_000_000]);
    assert!(hooks.load(Ordering::Relaxed) > after_fib, "the hook never ran in a loop checked by its callee");
    asker.stop();
    // Stopping: each would run for years.
    for (export, arg) in [("fib", 100), ("count", -1)] {
        let waker = interrupt_after(handle.clone(), 50);
        let trap = call(&instance, export, &[Val::I32(arg)]).unwrap_err();
        assert_eq!(trap.trap_code(), Some(TrapCode::Interrupt), "{export}");
        waker.join().unwrap();
    }
    assert_eq!(i32s(&call(&instance, "fib", &[Val::I32(10)]).unwrap()), [55]);
}

/// A function whose frame is too large for the check after its prologue (thousands of values
/// live at once, spilled) checks the limit in the prologue as well: endless recursion through
/// it ends in a `stack_overflow` trap, also on a small stack, never in a crash.
#[test]
fn recursion_through_a_huge_frame_is_a_stack_overflow() {
    const LIVE: usize = 4000;
    let mut body = String::new();
    for i in 0..LIVE {
        body.push_str(&format!("(f64.add (local.get 0) (f64.const {i}))\n"));
    }
    body.push_str("(call $deep (local.get 0))\n");
    for _ in 0..LIVE {
        body.push_str("f64.add\n");
    }
    let text = format!("(module (func $deep (export \"deep\") (param f64) (result f64) {body}))");
    let module = engine::Module::new(&engine(), &wat(&text)).unwrap();
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let store = Store::new(&engine());
            let i = engine::Instance::new(&store, &module, &[]).unwrap();
            for _ in 0..2 {
                let trap = trap_of(call(&i, "deep", &[Val::F64(1f64.to_bits())]));
                assert_eq!(trap.code, TrapCode::StackOverflow);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The byte offset in `bytes` of each operator of the code section for which `wanted` holds,
/// in order.
fn offsets_of(bytes: &[u8], wanted: impl Fn(&wasmparser::Operator) -> bool) -> Vec<u32> {
    let mut found = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut ops = body.get_operators_reader().unwrap();
            while !ops.eof() {
                let (op, at) = ops.read_with_offset().unwrap();
                if wanted(&op) {
                    found.push(at as u32);
                }
            }
        }
    }
    found
}

#[test]
fn a_trap_carries_its_backtrace_with_module_offsets() {
    let src = r#"
      (module
        (func $div (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
        (func $middle (param i32) (result i32) i32.const 7 local.get 0 call $div)
        (func (export "run") (param i32) (result i32) local.get 0 call $middle))"#;
    let bytes = wat(src);
    let store = Store::new(&engine());
    let i = instantiate(&store, src);
    let trap = trap_of(call(&i, "run", &[Val::I32(0)]));
    assert_eq!(trap.code, TrapCode::IntegerDivideByZero);
    let div = offsets_of(&bytes, |op| matches!(op, wasmparser::Operator::I32DivS));
    let calls = offsets_of(&bytes, |op| matches!(op, wasmparser::Operator::Call { .. }));
    let frames: Vec<_> = trap.backtrace.iter().map(|f| (f.func_index, f.name.as_deref(), f.module_offset)).collect();
    assert_eq!(
        frames,
        [
            (Some(0), Some("div"), Some(div[0])),
            (Some(1), Some("middle"), Some(calls[0])),
            (Some(2), Some("run"), Some(calls[1])),
        ],
        "{trap}"
    );
    let message = trap.to_string();
    assert!(
        message.ends_with(&format!(
            "in function `div`\nwasm backtrace:\n    0: {:#6x} - div\n    1: {:#6x} - middle\n    2: {:#6x} - run",
            div[0], calls[0], calls[1]
        )),
        "{message}"
    );
}

#[test]
fn a_backtrace_goes_through_host_functions() {
    let src = r#"
      (module
        (import "env" "host" (func $host))
        (func $inner (export "inner") unreachable)
        (func $outer (export "outer") call $host))"#;
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(src)).unwrap();
    let inner = std::rc::Rc::new(std::cell::RefCell::new(None::<Func>));
    let seen = inner.clone();
    let host = Func::new(&store, FuncType::new([], []), move |_, _| {
        let f = seen.borrow().clone().unwrap();
        f.call(&[]).map(|_| Vec::new())
    });
    let i = engine::Instance::new(&store, &module, &[host.into()]).unwrap();
    *inner.borrow_mut() = i.get_func("inner");
    let trap = trap_of(call(&i, "outer", &[]));
    let names: Vec<_> = trap.backtrace.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(names, [Some("inner"), None, Some("outer")], "{trap}");
    assert!(trap.to_string().contains("\n    1: <host function>\n"), "{trap}");

    // Deep recursion keeps the innermost frames only.
    let i = instantiate(&store, TRAPS);
    let trap = trap_of(call(&i, "recurse", &[Val::I32(0)]));
    assert_eq!(trap.backtrace.len(), engine::Trap::MAX_FRAMES);
    assert!(trap.backtrace.iter().all(|f| f.name.as_deref() == Some("recurse")));
    assert!(trap.to_string().ends_with("\n    ... 22 more frames"), "{trap}");
}

/// Safepoints asked for in the middle of a loop change nothing in what it computes: with
/// signals, each one diverts the loop into the stub and back, at any instruction, so every
/// register (flags and vector registers included) must come back as it was. The loop keeps
/// values of every type live; a thread asks for a safepoint every 200 µs.
#[test]
fn safepoints_in_the_middle_of_a_loop_change_nothing() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    const MIX: &str = r#"(module
      (func (export "mix") (param $n i32) (result i64)
        (local $i i32) (local $a i32) (local $b i32) (local $c i64) (local $d i64)
        (local $x f64) (local $y f64) (local $f f32) (local $v v128) (local $w v128)
        (local.set $a (i32.const 1)) (local.set $b (i32.const 7))
        (local.set $c (i64.const 3)) (local.set $d (i64.const 11))
        (local.set $x (f64.const 0.5)) (local.set $y (f64.const 1.25)) (local.set $f (f32.const 2.5))
        (local.set $v (v128.const i32x4 1 2 3 4)) (local.set $w (v128.const i32x4 5 6 7 8))
        (loop $l
          (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 1103515245)) (i32.const 12345)))
          (local.set $b (i32.xor (local.get $b) (i32.rotl (local.get $a) (i32.const 5))))
          (local.set $c (i64.add (local.get $c) (i64.extend_i32_u (local.get $b))))
          (local.set $d (i64.mul (local.get $d) (i64.or (local.get $c) (i64.const 1))))
          (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 0.999))
                                 (f64.convert_i32_u (i32.and (local.get $a) (i32.const 255)))))
          (local.set $y (f64.sqrt (f64.add (local.get $y) (local.get $x))))
          (local.set $f (f32.add (local.get $f) (f32.demote_f64 (local.get $y))))
          (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $a))))
          (local.set $w (i32x4.mul (local.get $w) (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (i64.add
          (i64.add (i64.add (local.get $c) (local.get $d)) (i64.reinterpret_f64 (local.get $x)))
          (i64.add
            (i64.add (i64.reinterpret_f64 (local.get $y)) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $f))))
            (i64.add (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $w)))))))"#;
    let n = [Val::I32(30_000_000)];
    let undisturbed = call(&instantiate(&Store::new(&engine()), MIX), "mix", &n).unwrap();
    let mut loop_checks = engine::Config::new();
    loop_checks.signal_interrupts(false);
    // Rust gives its threads an alternate signal stack; a PHP process has none, and the
    // kernel then puts the signal frame on the stack wasm runs on, right below its red zone.
    let alternate = [true, false, true];
    for (engine, alternate) in [engine(), engine(), engine::Engine::new(&loop_checks).unwrap()].into_iter().zip(alternate) {
        if !alternate {
            // SAFETY: turning this thread's alternate signal stack off; it stays allocated.
            let disable = libc::stack_t { ss_sp: std::ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
            assert_eq!(unsafe { libc::sigaltstack(&disable, std::ptr::null_mut()) }, 0);
        }
        let store = Store::new(&engine);
        let module = Module::new(&engine, &wat(MIX)).unwrap();
        let instance = Instance::new(&store, &module, &[]).unwrap();
        let calls = Arc::new(AtomicU32::new(0));
        let counted = calls.clone();
        store
            .set_safepoint_hook(move || {
                counted.fetch_add(1, Ordering::Relaxed);
                false
            })
            .unwrap();
        let asker = SafepointAsker::start(store.interrupt_handle());
        let result = call(&instance, "mix", &n).unwrap();
        asker.stop();
        assert_eq!(format!("{result:?}"), format!("{undisturbed:?}"), "{}", engine.cache_key());
        assert!(calls.load(Ordering::Relaxed) > 10, "{} safepoints", calls.load(Ordering::Relaxed));
    }
}

/// Without signals, loops check the flag: an interrupt still stops an infinite loop, also
/// one that calls a host function, and one in a function called through a table.
#[test]
fn loop_checks_stop_loops_when_signals_are_off() {
    let mut config = engine::Config::new();
    config.signal_interrupts(false);
    let engine = engine::Engine::new(&config).unwrap();
    assert!(engine.cache_key().contains("interrupts by loop checks"), "{}", engine.cache_key());
    let store = Store::new(&engine);
    let module = Module::new(&engine, &wat(r#"(module (func (export "spin") (loop br 0)))"#)).unwrap();
    let i = Instance::new(&store, &module, &[]).unwrap();
    let handle = store.interrupt_handle();
    let waker = interrupt_after(handle, 50);
    assert_eq!(trap_of(call(&i, "spin", &[])).code, TrapCode::Interrupt);
    waker.join().unwrap();
}

/// A loop that spends its time outside wasm code, where a signal finds nothing to divert (a
/// host function, a builtin), is stopped where it comes back into wasm.
#[test]
fn interrupts_reach_loops_that_call_the_host_or_builtins() {
    let store = Store::new(&engine());
    let nop = Func::new(&store, FuncType::new([], []), |_, _| {
        std::thread::sleep(std::time::Duration::from_micros(50));
        Ok(vec![])
    });
    let module = Module::new(
        &engine(),
        &wat(r#"(module
          (import "host" "nop" (func $nop))
          (memory 1)
          (type $v (func))
          (table 1 funcref)
          (elem (i32.const 0) $nop)
          (func (export "host") (loop (call $nop) (br 0)))
          (func (export "table") (loop (call_indirect (type $v) (i32.const 0)) (br 0)))
          (func (export "builtin") (loop (drop (memory.grow (i32.const 0))) (memory.fill (i32.const 0) (i32.const 0) (i32.const 65536)) (br 0))))"#),
    )
    .unwrap();
    let i = Instance::new(&store, &module, &[engine::Extern::Func(nop)]).unwrap();
    for export in ["host", "table", "builtin"] {
        let handle = store.interrupt_handle();
        let waker = interrupt_after(handle, 30);
        assert_eq!(trap_of(call(&i, export, &[])).code, TrapCode::Interrupt, "{export}");
        waker.join().unwrap();
    }
}

