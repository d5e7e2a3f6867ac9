//! Fuel: metered code consumes one unit per instruction and traps with `out_of_fuel` when
//! none is left; code of stores without fuel is not metered at all.

mod common;
use common::*;
use engine::{Error, Extern, Func, FuncType, Instance, Module, Store, TrapCode, Val};

const SRC: &str = r#"
(module
  (import "host" "refill" (func $refill))
  (func (export "three") (result i32) i32.const 1 i32.const 2 i32.add)
  (func (export "spin") (loop $l br $l))
  (func $rec (export "recurse") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $rec)
  (func (export "count") (param i32) (result i32) (local $i i32)
    (loop $l
      local.get $i i32.const 1 i32.add local.set $i
      local.get $i local.get 0 i32.lt_u br_if $l)
    local.get $i)
  (func (export "nested") (result i32) call 1 call 1 i32.add)
  (func (export "spin_refilling") (param i32) (result i32) (local $i i32)
    (loop $l
      call $refill
      local.get $i i32.const 1 i32.add local.tee $i
      local.get 0 i32.lt_u br_if $l)
    local.get $i))
"#;

fn setup(fuel: Option<u64>, refill: u64) -> (Store, Instance) {
    let store = Store::new(&engine());
    if let Some(fuel) = fuel {
        store.set_fuel(fuel).unwrap();
    }
    let for_host = store.clone();
    let refill = Func::new(&store, FuncType::new([], []), move |_, _| {
        if refill > 0 {
            for_host.add_fuel(refill).unwrap();
        }
        Ok(Vec::new())
    });
    let module = Module::new(&engine(), &wat(SRC)).unwrap();
    let instance = Instance::new(&store, &module, &[Extern::Func(refill)]).unwrap();
    (store, instance)
}

fn trap_code(result: engine::Result<Vec<Val>>) -> TrapCode {
    match result {
        Err(Error::Trap(t)) => t.code,
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn instructions_cost_one_unit_each() {
    let (store, i) = setup(Some(1000), 0);
    assert_eq!(store.fuel().unwrap(), Some(1000));
    assert_eq!(i32s(&call(&i, "three", &[]).unwrap()), [3]);
    // i32.const, i32.const, i32.add; `end` is free.
    assert_eq!(store.fuel().unwrap(), Some(997));
    // Two calls and an add around two calls of `three`.
    assert_eq!(i32s(&call(&i, "nested", &[]).unwrap()), [6]);
    assert_eq!(store.fuel().unwrap(), Some(997 - 3 - 2 * 3));
    // A loop of ten iterations costs about ten times one iteration.
    let before = store.fuel().unwrap().unwrap();
    call(&i, "count", &[Val::I32(10)]).unwrap();
    let ten = before - store.fuel().unwrap().unwrap();
    call(&i, "count", &[Val::I32(20)]).unwrap();
    let twenty = before - ten - store.fuel().unwrap().unwrap();
    assert_eq!(twenty - ten, 10 * 8, "eight instructions per iteration");
}

#[test]
fn running_out_traps_and_adding_fuel_resumes() {
    let (store, i) = setup(Some(100_000), 0);
    let trap = call(&i, "spin", &[]).unwrap_err();
    assert!(trap.to_string().contains("all fuel consumed (out_of_fuel)"), "{trap}");
    assert_eq!(store.fuel().unwrap(), Some(0));
    assert_eq!(trap_code(call(&i, "three", &[])), TrapCode::OutOfFuel, "no fuel, no call");
    assert_eq!(store.add_fuel(50).unwrap(), 50);
    assert_eq!(i32s(&call(&i, "three", &[]).unwrap()), [3]);
    assert_eq!(store.fuel().unwrap(), Some(47));
    // Recursion runs out of fuel before it runs out of stack.
    store.set_fuel(10_000).unwrap();
    assert_eq!(trap_code(call(&i, "recurse", &[Val::I32(0)])), TrapCode::OutOfFuel);
    // A loop that would run 10^9 times stops after about 10^6 units.
    store.set_fuel(1_000_000).unwrap();
    assert_eq!(trap_code(call(&i, "count", &[Val::I32(1_000_000_000)])), TrapCode::OutOfFuel);
}

#[test]
fn a_host_function_can_refill_its_caller() {
    // 1000 units would last about 90 iterations; the import adds 20 per iteration.
    let (store, i) = setup(Some(1000), 20);
    assert_eq!(i32s(&call(&i, "spin_refilling", &[Val::I32(5000)]).unwrap()), [5000]);
    assert!(store.fuel().unwrap().unwrap() > 1000, "{:?}", store.fuel());
}

#[test]
fn stores_without_fuel_run_unmetered_code() {
    let (store, i) = setup(None, 0);
    assert_eq!(store.fuel().unwrap(), None);
    assert!(store.add_fuel(1).unwrap_err().to_string().contains("runs without fuel"));
    assert_eq!(i32s(&call(&i, "count", &[Val::I32(1_000_000)]).unwrap()), [1_000_000]);
    // Fuel given later applies to instances made later only; the module is the same.
    store.set_fuel(10).unwrap();
    assert_eq!(i32s(&call(&i, "count", &[Val::I32(1_000_000)]).unwrap()), [1_000_000]);
    assert_eq!(store.fuel().unwrap(), Some(10));
}

#[test]
fn a_start_function_consumes_fuel() {
    let store = Store::new(&engine());
    store.set_fuel(5000).unwrap();
    let module = Module::new(&engine(), &wat("(module (func $s (loop $l br $l)) (start $s))")).unwrap();
    match Instance::new(&store, &module, &[]) {
        Err(Error::Trap(t)) => assert_eq!(t.code, TrapCode::OutOfFuel),
        Err(e) => panic!("expected a trap, got {e}"),
        Ok(_) => panic!("the start function ended"),
    }
}
