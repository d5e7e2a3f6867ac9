//! The descriptions of types shown to Ruby: `Wasmer::FunctionType`, `MemoryType`,
//! `GlobalType`, `TableType`, `ImportType` and `Frame` are Structs defined in
//! lib/wasmer/types.rb; this builds them from the engine's types.

use crate::root;
use engine::{ExternType, FuncType, ImportType, ValType};
use magnus::{prelude::*, Error, RArray, RClass, Ruby, Symbol, Value};

/// `:i32`, `:i64`, `:f32`, `:f64`, `:v128`, `:funcref` or `:externref`.
pub fn val_type(ruby: &Ruby, ty: ValType) -> Symbol {
    ruby.to_symbol(ty.to_string())
}

pub fn val_types(ruby: &Ruby, tys: &[ValType]) -> RArray {
    let ary = ruby.ary_new_capa(tys.len());
    for &t in tys {
        let _ = ary.push(val_type(ruby, t));
    }
    ary
}

fn class(ruby: &Ruby, name: &str) -> Result<RClass, Error> {
    root(ruby).const_get(name)
}

pub fn func_type(ruby: &Ruby, ty: &FuncType) -> Result<Value, Error> {
    class(ruby, "FunctionType")?.new_instance((val_types(ruby, ty.params()), val_types(ruby, ty.results())))
}

pub fn extern_type(ruby: &Ruby, ty: &ExternType) -> Result<Value, Error> {
    match ty {
        ExternType::Func(f) => func_type(ruby, f),
        ExternType::Memory(m) => class(ruby, "MemoryType")?.new_instance((m.minimum, m.maximum)),
        ExternType::Global(g) => {
            class(ruby, "GlobalType")?.new_instance((val_type(ruby, g.content), g.mutable))
        }
        ExternType::Table(t) => class(ruby, "TableType")?.new_instance((
            val_type(ruby, t.element),
            t.minimum,
            t.maximum,
        )),
    }
}


pub fn import_type(ruby: &Ruby, import: &ImportType) -> Result<Value, Error> {
    class(ruby, "ImportType")?.new_instance((
        import.module.as_str(),
        import.name.as_str(),
        extern_type(ruby, &import.ty)?,
    ))
}

/// A `Wasmer::Frame` of a trap's backtrace.
pub fn frame(ruby: &Ruby, frame: &engine::Frame) -> Result<Value, Error> {
    class(ruby, "Frame")?.new_instance((frame.func_index, frame.name.as_deref(), frame.module_offset))
}
