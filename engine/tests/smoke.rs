use engine::*;

fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut w: wast::Wat = wast::parser::parse(&buf).unwrap();
    w.encode().unwrap()
}

#[test]
fn sum() {
    let store = Store::new();
    let m = Module::new(&wat(r#"(module (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#)).unwrap();
    let i = Instance::new(&store, &m, &[]).unwrap();
    let r = i.get_func("sum").unwrap().call(&[Val::I32(5), Val::I32(37)]).unwrap();
    assert!(matches!(r[..], [Val::I32(42)]));
}

#[test]
fn trap() {
    let store = Store::new();
    let m = Module::new(&wat(r#"(module (func (export "u") unreachable) (func $f (export "rec") call $f))"#)).unwrap();
    let i = Instance::new(&store, &m, &[]).unwrap();
    let e = i.get_func("u").unwrap().call(&[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Unreachable), "{e}");
    let e = i.get_func("rec").unwrap().call(&[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow), "{e}");
    println!("{e}");
}
