//! The embedding API: compile errors, values, memories, globals, tables, linking.

mod common;
use common::*;
use engine::*;

fn compile_error(bytes: &[u8]) -> String {
    match Module::new(&engine(), bytes) {
        Err(Error::Compile(message)) => message,
        Err(other) => panic!("expected a compile error, got {other}"),
        Ok(_) => panic!("expected a compile error, the module compiled"),
    }
}

#[test]
fn unsupported_proposals_are_compile_errors() {
    let cases = [
        ("(component)", "component"),
        ("(module (memory i64 1))", "memory64"),
        ("(module (memory 1 1 shared))", "threads"),
        ("(module (tag))", "exceptions"),
        ("(module (type (struct)))", "gc"),
        ("(module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))", "relaxed simd"),
        ("(module (func return_call 0))", "tail calls"),
    ];
    for (src, what) in cases {
        let message = compile_error(&wat(src));
        assert!(!message.is_empty(), "{what}: empty message");
        assert!(Module::validate(&Engine::default(), &wat(src)).is_err(), "{what} validates");
    }
}

#[test]
fn v128_crosses_exports_globals_and_host_functions() {
    let store = Store::new(&engine());
    let ty = FuncType::new([ValType::V128], [ValType::V128]);
    // The host reverses the lanes' order of bytes: a check that all 16 bytes arrive and leave.
    let reverse = Func::new(&store, ty, |_, args| match args {
        [Val::V128(v)] => Ok(vec![Val::V128(v.swap_bytes())]),
        other => panic!("host got {other:?}"),
    });
    let module = Module::new(
        &engine(),
        &wat(r#"(module
            (import "host" "reverse" (func $reverse (param v128) (result v128)))
            (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
            (func (export "add") (param v128 v128) (result v128)
              local.get 0 local.get 1 i32x4.add)
            (func (export "via_host") (param v128) (result v128 i32)
              local.get 0 call $reverse i32.const 7)
            (func (export "swap_global") (param v128) (result v128)
              global.get $g local.get 0 global.set $g))"#),
    )
    .unwrap();
    let i = Instance::new(&store, &module, &[Extern::Func(reverse)]).unwrap();
    let lanes = |l: [u32; 4]| Val::V128(l.iter().rev().fold(0u128, |acc, &x| acc << 32 | x as u128));
    let bits = |v: &Val| match v {
        Val::V128(b) => *b,
        other => panic!("not a v128: {other:?}"),
    };
    let sum = call(&i, "add", &[lanes([1, 2, 3, u32::MAX]), lanes([10, 20, 30, 2])]).unwrap();
    assert_eq!(bits(&sum[0]), bits(&lanes([11, 22, 33, 1])));
    let pattern = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
    let r = call(&i, "via_host", &[Val::V128(pattern)]).unwrap();
    assert_eq!(bits(&r[0]), pattern.swap_bytes());
    assert!(matches!(r[1], Val::I32(7)));
    let old = call(&i, "swap_global", &[Val::V128(pattern)]).unwrap();
    assert_eq!(bits(&old[0]), bits(&lanes([1, 2, 3, 4])));
    let Some(Extern::Global(g)) = i.get_export("g") else { panic!("no global g") };
    assert_eq!(bits(&g.get().unwrap()), pattern);
    g.set(Val::V128(u128::MAX)).unwrap();
    assert_eq!(bits(&call(&i, "swap_global", &[Val::V128(0)]).unwrap()[0]), u128::MAX);
}

/// More results than the platform has return registers, of every type, through each way a
/// call is made: from the host, wasm to wasm, `call_indirect`, and wasm to the host.
#[test]
fn functions_return_more_values_than_registers() {
    const N: usize = 24;
    let types = [ValType::I32, ValType::I64, ValType::F32, ValType::F64, ValType::V128];
    let ty_of = move |k: usize| types[k % types.len()];
    let value = move |k: usize| match ty_of(k) {
        ValType::I32 => Val::I32(k as i32 - 100),
        ValType::I64 => Val::I64(k as i64 * -1_000_000_007),
        ValType::F32 => Val::F32((k as f32 + 0.5).to_bits()),
        ValType::F64 => Val::F64((k as f64 * 1.25).to_bits()),
        _ => Val::V128(u128::MAX / (k as u128 + 3)),
    };
    let name = |t: ValType| match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => "v128",
    };
    let constant = |k: usize| match value(k) {
        Val::I32(x) => format!("i32.const {x}"),
        Val::I64(x) => format!("i64.const {x}"),
        Val::F32(x) => format!("f32.const {}", f32::from_bits(x)),
        Val::F64(x) => format!("f64.const {}", f64::from_bits(x)),
        Val::V128(x) => format!("v128.const i64x2 {} {}", x as u64 as i64, (x >> 64) as u64 as i64),
        other => unreachable!("{other:?}"),
    };
    let results: Vec<&str> = (0..N).map(|k| name(ty_of(k))).collect();
    let results = results.join(" ");
    let constants: Vec<String> = (0..N).map(constant).collect();
    let src = format!(
        r#"(module
            (type $many (func (result {results})))
            (import "host" "many" (func $host (type $many)))
            (table 1 funcref)
            (elem (i32.const 0) $direct)
            (func $direct (export "direct") (type $many) {constants})
            (func (export "via_call") (type $many) call $direct)
            (func (export "via_table") (type $many) i32.const 0 call_indirect (type $many))
            (func (export "via_host") (type $many) call $host))"#,
        constants = constants.join(" ")
    );
    let store = Store::new(&engine());
    let ty = FuncType::new([], (0..N).map(ty_of));
    let host = Func::new(&store, ty, move |_, _| Ok((0..N).map(value).collect()));
    let module = Module::new(&engine(), &wat(&src)).unwrap();
    let i = Instance::new(&store, &module, &[Extern::Func(host)]).unwrap();
    let expected = format!("{:?}", (0..N).map(value).collect::<Vec<_>>());
    for export in ["direct", "via_call", "via_table", "via_host"] {
        let got = call(&i, export, &[]).unwrap();
        assert_eq!(format!("{got:?}"), expected, "{export}");
    }
}

#[test]
fn malformed_bytes_are_compile_errors() {
    assert!(compile_error(b"").contains("empty"));
    assert!(compile_error(b"hello world").contains("magic"));
    assert!(!compile_error(b"\0asm\x01\0\0\0\x01\x05").is_empty());
}

#[test]
fn mutated_modules_never_panic() {
    let original = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/nbody.wasm")).unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut compiled = 0;
    for _ in 0..2000 {
        let mut bytes = original.clone();
        for _ in 0..1 + next() % 4 {
            let at = 8 + (next() as usize) % (bytes.len() - 8);
            bytes[at] = next() as u8;
        }
        let outcome = std::panic::catch_unwind(|| Module::new(&engine(), &bytes).is_ok());
        compiled += outcome.expect("Module::new panicked on a mutated module") as u32;
    }
    assert!(compiled < 2000, "some mutations must be rejected");
}

#[test]
fn nan_payloads_cross_unchanged() {
    let store = Store::new(&engine());
    let i = instantiate(
        &store,
        r#"(module
            (func (export "f32") (param f32) (result f32) local.get 0)
            (func (export "f64") (param f64) (result f64) local.get 0)
            (func (export "many") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
              local.get 3 local.get 2 local.get 1 local.get 0))"#,
    );
    let f32_nan = 0x7fa0_0001u32;
    let f64_nan = 0xfff4_0000_0000_0001u64;
    assert!(matches!(call(&i, "f32", &[Val::F32(f32_nan)]).unwrap()[..], [Val::F32(b)] if b == f32_nan));
    assert!(matches!(call(&i, "f64", &[Val::F64(f64_nan)]).unwrap()[..], [Val::F64(b)] if b == f64_nan));
    let r = call(&i, "many", &[Val::I32(-1), Val::I64(i64::MIN), Val::F32(f32_nan), Val::F64(f64_nan)]).unwrap();
    assert!(matches!(r[..], [Val::F64(a), Val::F32(b), Val::I64(i64::MIN), Val::I32(-1)] if a == f64_nan && b == f32_nan));
}

#[test]
fn argument_checks() {
    let store = Store::new(&engine());
    let i = instantiate(&store, r#"(module (func (export "add") (param i32 i64) (result i64)
        local.get 0 i64.extend_i32_s local.get 1 i64.add))"#);
    match call(&i, "add", &[Val::I32(1)]) {
        Err(Error::ArgumentCount { expected: 2, given: 1 }) => {}
        other => panic!("{other:?}"),
    }
    match call(&i, "add", &[Val::I32(1), Val::I32(2)]) {
        Err(e @ Error::ArgumentType { index: 1, expected: ValType::I64 }) => {
            assert_eq!(e.to_string(), "argument 2 must be of type i64")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(call(&i, "add", &[Val::I32(-2), Val::I64(44)]).unwrap()[..], [Val::I64(42)]));
    let ty = i.get_func("add").unwrap().ty().to_string();
    assert_eq!(ty, "func(i32, i64) -> i64");
}

#[test]
fn memory_access_from_the_host() {
    let store = Store::new(&engine());
    let i = instantiate(&store, r#"(module (memory (export "mem") 1 3)
        (data (i32.const 16) "Hello\00World")
        (func (export "peek") (param i32) (result i32) local.get 0 i32.load8_u))"#);
    let m = i.memory().unwrap();
    assert_eq!((m.size().unwrap(), m.pages().unwrap()), (65536, 1));
    assert_eq!(m.read_c_string(16).unwrap(), b"Hello");
    m.write(100, &[1, 2, 3]).unwrap();
    assert_eq!(i32s(&call(&i, "peek", &[Val::I32(102)]).unwrap()), [3]);
    let mut buf = [0u8; 4];
    assert!(m.read(65534, &mut buf).is_err());
    assert!(m.write(usize::MAX, &[1]).is_err());
    assert_eq!(m.grow(2).unwrap(), 1);
    assert_eq!(m.size().unwrap(), 3 * 65536);
    let err = m.grow(1).unwrap_err();
    assert!(err.to_string().contains("maximum is 3"), "{err}");
    m.write(3 * 65536 - 1, &[9]).unwrap();
    assert_eq!(i32s(&call(&i, "peek", &[Val::I32(3 * 65536 - 1)]).unwrap()), [9]);
}

#[test]
fn globals_from_the_host() {
    let store = Store::new(&engine());
    let i = instantiate(&store, r#"(module
        (global (export "c") i32 (i32.const 7))
        (global $m (export "m") (mut f64) (f64.const 1.5))
        (func (export "get_m") (result f64) global.get $m))"#);
    let global = |name| match i.get_export(name) {
        Some(Extern::Global(g)) => g,
        _ => panic!("no global {name}"),
    };
    assert!(matches!(global("c").get().unwrap(), Val::I32(7)));
    assert!(!global("c").ty().mutable);
    assert!(global("c").set(Val::I32(1)).is_err());
    global("m").set(Val::f64(2.25)).unwrap();
    assert!(matches!(call(&i, "get_m", &[]).unwrap()[..], [Val::F64(b)] if f64::from_bits(b) == 2.25));
    assert!(matches!(global("m").set(Val::I32(1)), Err(Error::ArgumentType { .. })));
}

#[test]
fn link_errors_name_module_and_field() {
    let store = Store::new(&engine());
    let module = Module::new(&engine(), &wat(r#"(module (import "env" "f" (func (param i32))))"#)).unwrap();
    match Instance::new(&store, &module, &[]) {
        Err(Error::Link { module, field, .. }) => assert_eq!((module.as_str(), field.as_str()), ("env", "f")),
        other => panic!("{other:?}"),
    }
    let wrong = Func::new(&store, FuncType::new([ValType::I64], []), |_, _| Ok(vec![]));
    let err = Instance::new(&store, &module, &[Extern::Func(wrong)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "link error: import `env`.`f`: incompatible import type: expected func(i32), got func(i64)"
    );
    let other_store = Store::new(&engine());
    let foreign = Func::new(&other_store, FuncType::new([ValType::I32], []), |_, _| Ok(vec![]));
    assert!(matches!(Instance::new(&store, &module, &[Extern::Func(foreign)]), Err(Error::Link { .. })));
}

#[test]
fn instances_share_memory_tables_and_functions() {
    let store = Store::new(&engine());
    let a = instantiate(&store, r#"(module
        (memory (export "mem") 1)
        (table (export "tab") 2 funcref)
        (func $seven (result i32) i32.const 7)
        (elem (i32.const 0) $seven)
        (func (export "seven") (result i32) i32.const 7))"#);
    let b_module = Module::new(&engine(), &wat(r#"(module
        (import "a" "mem" (memory 1))
        (import "a" "tab" (table 2 funcref))
        (import "a" "seven" (func $seven (result i32)))
        (type $r (func (result i32)))
        (func (export "run") (result i32)
          i32.const 0 i32.const 42 i32.store
          call $seven i32.const 0 call_indirect (type $r) i32.add))"#)).unwrap();
    let imports: Vec<Extern> = ["mem", "tab", "seven"].iter().map(|n| a.get_export(n).unwrap()).collect();
    let b = Instance::new(&store, &b_module, &imports).unwrap();
    assert_eq!(i32s(&call(&b, "run", &[]).unwrap()), [14]);
    let mut buf = [0u8; 4];
    a.memory().unwrap().read(0, &mut buf).unwrap();
    assert_eq!(u32::from_le_bytes(buf), 42);
    assert_eq!(
        b_module.imports().iter().map(|i| format!("{}.{}: {}", i.module, i.name, i.ty)).collect::<Vec<_>>(),
        ["a.mem: memory(1)", "a.tab: table(2, funcref)", "a.seven: func() -> i32"]
    );
}

#[test]
fn host_function_reads_the_callers_memory_through_caller() {
    let store = Store::new(&engine());
    let module = Module::new(&engine(), &wat(r#"(module
        (import "env" "log" (func $log (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello, caller")
        (func (export "run") (result i32) i32.const 16 i32.const 13 call $log))"#)).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = {
        let seen = seen.clone();
        Func::new(&store, FuncType::new([ValType::I32, ValType::I32], [ValType::I32]), move |caller, args| {
            let (Val::I32(ptr), Val::I32(len)) = (&args[0], &args[1]) else { unreachable!() };
            let memory = caller
                .memory()
                .ok_or_else(|| Error::Usage("no calling instance, so no memory".into()))?;
            let mut buf = vec![0; *len as usize];
            memory.read(*ptr as usize, &mut buf)?;
            memory.write(0, b"written by the host")?;
            *seen.lock().unwrap() = buf;
            Ok(vec![Val::I32(7)])
        })
    };
    let mut linker = Linker::new();
    linker.define("env", "log", log.clone());
    let instance = linker.instantiate(&store, &module).unwrap();
    assert_eq!(i32s(&call(&instance, "run", &[]).unwrap()), [7]);
    assert_eq!(&seen.lock().unwrap()[..], b"hello, caller");
    let mut buf = [0; 19];
    instance.memory().unwrap().read(0, &mut buf).unwrap();
    assert_eq!(&buf, b"written by the host");
    // Called from the host, the function has no calling instance.
    let err = log.call(&[Val::I32(0), Val::I32(1)]).unwrap_err();
    assert_eq!(err.to_string(), "no calling instance, so no memory");
}

#[test]
fn linker_resolves_by_name_and_names_what_is_missing() {
    let store = Store::new(&engine());
    let a = instantiate(&store, r#"(module
        (memory (export "mem") 1)
        (func (export "seven") (result i32) i32.const 7))"#);
    let module = Module::new(&engine(), &wat(r#"(module
        (import "a" "seven" (func $seven (result i32)))
        (import "a" "mem" (memory 1))
        (func (export "run") (result i32) call $seven i32.const 0 i32.load i32.add))"#)).unwrap();
    let mut linker = Linker::new();
    let err = linker.instantiate(&store, &module).unwrap_err();
    assert_eq!(
        err.to_string(),
        "link error: import `a`.`seven`: unknown import: the linker defines no function"
    );
    a.memory().unwrap().write(0, &35i32.to_le_bytes()).unwrap();
    linker.instance("a", &a);
    let b = linker.instantiate(&store, &module).unwrap();
    assert_eq!(i32s(&call(&b, "run", &[]).unwrap()), [42]);
}

#[test]
fn engines_have_a_cache_key_and_do_not_mix() {
    let key = engine().cache_key().to_owned();
    for part in ["wasm-engine", "cranelift 0.135", "memory"] {
        assert!(key.contains(part), "{key}");
    }
    let dynamic = Engine::new(Config::new().memory_mode(MemoryMode::Dynamic)).unwrap();
    assert_ne!(dynamic.cache_key(), key, "the memory mode is part of the key");
    let module = Module::new(&dynamic, &wat(r#"(module (func (export "f") (result i32) i32.const 1))"#)).unwrap();
    let err = Instance::new(&Store::new(&engine()), &module, &[]).unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
    let i = Instance::new(&Store::new(&dynamic), &module, &[]).unwrap();
    assert_eq!(i32s(&call(&i, "f", &[]).unwrap()), [1]);
}
