//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use engine::{Instance, Module, Store, Val};

/// The engine every test shares, as the bindings share one per process.
pub fn engine() -> engine::Engine {
    static ENGINE: std::sync::OnceLock<engine::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(engine::Engine::default).clone()
}

pub fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).expect("lexable WAT");
    let mut module: wast::Wat = wast::parser::parse(&buf).expect("valid WAT");
    module.encode().expect("encodable WAT")
}

pub fn instantiate(store: &Store, src: &str) -> Instance {
    let module = Module::new(&engine(), &wat(src)).expect("module compiles");
    Instance::new(store, &module, &[]).expect("module instantiates")
}

pub fn call(instance: &Instance, name: &str, args: &[Val]) -> engine::Result<Vec<Val>> {
    instance.get_func(name).expect("export exists").call(args)
}

pub fn i32s(vals: &[Val]) -> Vec<i32> {
    vals.iter()
        .map(|v| match v {
            Val::I32(x) => *x,
            other => panic!("expected i32, got {other:?}"),
        })
        .collect()
}
