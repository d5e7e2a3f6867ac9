//! A process that forks while one of its threads is inside a store (waiting in a host
//! function, say) gives its child a store the child can use: the thread inside does not exist
//! there, and would never leave. In a test binary of its own: the child of a process with
//! other test threads could inherit their locks.

mod common;
use common::*;
use engine::{Func, FuncType, Store, Val};
use std::sync::{mpsc, Mutex};

/// The tests fork: one at a time, so that no child inherits the other test's threads midway.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn a_forked_child_can_use_a_store_a_parent_thread_was_inside() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let store = Store::new(&engine());
    let module = engine::Module::new(&engine(), &wat(r#"
        (module
          (import "env" "wait" (func $wait))
          (global $g (mut i32) (i32.const 0))
          (func (export "run") call $wait (global.set $g (i32.const 1)))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    "#))
    .unwrap();
    let (entered_tx, entered_rx) = mpsc::channel::<()>();
    let (resume_tx, resume_rx) = mpsc::channel::<()>();
    let (entered_tx, resume_rx) = (Mutex::new(entered_tx), Mutex::new(resume_rx));
    let host = Func::new(&store, FuncType::new([], []), move |_, _| {
        entered_tx.lock().unwrap().send(()).unwrap();
        resume_rx.lock().unwrap().recv().unwrap();
        Ok(vec![])
    });
    let instance = engine::Instance::new(&store, &module, &[engine::Extern::Func(host)]).unwrap();
    let inside = {
        let instance = instance.clone();
        std::thread::spawn(move || call(&instance, "run", &[]).map(|_| ()).map_err(|e| e.to_string()))
    };
    entered_rx.recv().unwrap();
    // The parent itself still finds the store busy.
    assert!(matches!(call(&instance, "add", &[Val::I32(1), Val::I32(2)]), Err(engine::Error::StoreBusy)));
    // SAFETY: the child only calls into the engine and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let sum = call(&instance, "add", &[Val::I32(2), Val::I32(3)]).map(|v| i32s(&v));
        let again = call(&instance, "add", &[Val::I32(4), Val::I32(5)]).map(|v| i32s(&v));
        let ok = matches!((sum, again), (Ok(a), Ok(b)) if a == [5] && b == [9]);
        // SAFETY: ends the child without running the parent's exit handlers.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    resume_tx.send(()).unwrap();
    inside.join().unwrap().unwrap();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child could not use the store (wait status {status})"
    );
    assert_eq!(i32s(&call(&instance, "add", &[Val::I32(1), Val::I32(2)]).unwrap()), [3]);
}

/// Forks while the two timer threads (periodic safepoints, call deadlines) are busy: a child
/// must not inherit one of their locks held (it has no such thread to let it go), and its
/// calls still time out (it starts a deadline thread of its own).
#[test]
fn forks_while_the_timers_are_busy_leave_children_with_working_timers() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let spin = r#"(module (func (export "spin") (loop (br 0)))
                          (func (export "quick") (result i32) (i32.const 7)))"#;
    let module = engine::Module::new(&engine(), &wat(spin)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    // Keeps the deadline lock busy: a call with a timeout, over and over.
    let busy = {
        let (done, module) = (done.clone(), module.clone());
        std::thread::spawn(move || {
            let store = Store::new(&engine());
            store.enable_periodic_safepoints();
            store.set_call_timeout(Some(Duration::from_secs(60)));
            let instance = engine::Instance::new(&store, &module, &[]).unwrap();
            // Found once: finding an export takes the engine's signature lock, which a fork
            // does not wait for (left as it is; see the README limits).
            let quick = instance.get_func("quick").unwrap();
            while !done.load(Ordering::Relaxed) {
                quick.call(&[]).unwrap();
            }
        })
    };
    // Stores with periodic safepoints keep the safepoint timer's list long.
    let watched: Vec<Store> = (0..200)
        .map(|_| {
            let s = Store::new(&engine());
            s.enable_periodic_safepoints();
            s
        })
        .collect();
    for round in 0..40 {
        // SAFETY: the child only calls into the engine and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let store = Store::new(&engine());
            store.enable_periodic_safepoints();
            store.set_call_timeout(Some(Duration::from_millis(20)));
            let instance = engine::Instance::new(&store, &module, &[]).unwrap();
            let timed_out = matches!(call(&instance, "spin", &[]),
                Err(engine::Error::Trap(t)) if t.code == engine::TrapCode::Timeout);
            // SAFETY: ends the child without running the parent's exit handlers.
            unsafe { libc::_exit(if timed_out { 0 } else { 1 }) };
        }
        let start = Instant::now();
        let mut status = 0;
        loop {
            // SAFETY: polls the child forked above.
            if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == pid {
                break;
            }
            if start.elapsed() > Duration::from_secs(30) {
                // SAFETY: ends the stuck child forked above, then reaps it.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                    libc::waitpid(pid, &mut status, 0);
                }
                panic!("child {round} hung");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child {round}: wait status {status}");
    }
    done.store(true, Ordering::Relaxed);
    busy.join().unwrap();
    drop(watched);
}
