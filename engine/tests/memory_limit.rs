//! A store's memory limit: memories together never take more than it.

mod common;
use common::*;
use engine::{Error, Extern, Instance, Memory, MemoryType, Module, Store, Val};

const PAGE: usize = 65536;

const GROWER: &str = r#"
(module
  (memory (export "memory") 1)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "size") (result i32) memory.size))
"#;

#[test]
fn memory_grow_fails_past_the_limit() {
    let store = Store::new(&engine());
    store.set_memory_limit(Some(3 * PAGE));
    assert_eq!(store.memory_limit(), Some(3 * PAGE));
    let i = instantiate(&store, GROWER);
    assert_eq!(i32s(&call(&i, "grow", &[Val::I32(2)]).unwrap()), [1]);
    assert_eq!(i32s(&call(&i, "grow", &[Val::I32(1)]).unwrap()), [-1]);
    assert_eq!(i32s(&call(&i, "size", &[]).unwrap()), [3]);
    let Some(Extern::Memory(memory)) = i.get_export("memory") else { panic!("no memory") };
    let error = memory.grow(1).unwrap_err().to_string();
    assert!(error.contains("the memory limit is 196608 bytes"), "{error}");
    // Raising the limit lets it grow again.
    store.set_memory_limit(Some(4 * PAGE));
    assert_eq!(i32s(&call(&i, "grow", &[Val::I32(1)]).unwrap()), [3]);
    store.set_memory_limit(None);
    assert_eq!(i32s(&call(&i, "grow", &[Val::I32(100)]).unwrap()), [4]);
}

#[test]
fn a_minimum_past_the_limit_is_refused_at_instantiation() {
    let store = Store::new(&engine());
    store.set_memory_limit(Some(2 * PAGE));
    let module = Module::new(&engine(), &wat("(module (memory 3))")).unwrap();
    match Instance::new(&store, &module, &[]) {
        Err(Error::Resource(message)) => assert!(
            message.contains("a memory of 3 pages (196608 bytes) does not fit in the memory limit of 131072 bytes"),
            "{message}"
        ),
        Err(e) => panic!("expected a resource error, got {e}"),
        Ok(_) => panic!("instantiated past the limit"),
    }
}

#[test]
fn all_memories_of_the_store_count_together() {
    let store = Store::new(&engine());
    store.set_memory_limit(Some(5 * PAGE / 2));
    let host = Memory::new(&store, MemoryType { minimum: 1, maximum: None }).unwrap();
    let first = instantiate(&store, GROWER);
    let module = Module::new(&engine(), &wat(GROWER)).unwrap();
    let Err(error) = Instance::new(&store, &module, &[]) else { panic!("a third page fitted") };
    let error = error.to_string();
    assert!(error.contains("131072 bytes already taken"), "{error}");
    assert_eq!(i32s(&call(&first, "grow", &[Val::I32(1)]).unwrap()), [-1]);
    assert!(host.grow(1).is_err());
}
