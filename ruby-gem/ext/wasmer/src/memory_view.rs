//! `Wasmer::MemoryView` and its typed subclasses (`Uint8View`, `Int8View`, `Uint16View`,
//! `Int16View`, `Uint32View`, `Int32View`, `Float32View`, `Float64View`): little-endian
//! arrays over a memory from a byte offset. A view reads the memory at every access, so a
//! view made before the memory grew sees the grown memory and its length follows.

use crate::errors::{from_engine, index_error, type_error};
use crate::store::Shared;
use crate::memory::Memory;
use crate::convert;
use crate::errors::mismatch_error;
use engine::embed::convert::Mismatch;
use engine::embed::messages::Place;
use magnus::{
    gc::Marker, method, prelude::*, DataTypeFunctions, Error, RClass, RModule,
    Ruby, TypedData, Value,
};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    F32,
    F64,
}

const KINDS: [ViewKind; 8] = [
    ViewKind::U8,
    ViewKind::I8,
    ViewKind::U16,
    ViewKind::I16,
    ViewKind::U32,
    ViewKind::I32,
    ViewKind::F32,
    ViewKind::F64,
];

impl ViewKind {
    fn bytes(self) -> usize {
        match self {
            ViewKind::U8 | ViewKind::I8 => 1,
            ViewKind::U16 | ViewKind::I16 => 2,
            ViewKind::U32 | ViewKind::I32 | ViewKind::F32 => 4,
            ViewKind::F64 => 8,
        }
    }

    fn class_name(self) -> &'static str {
        match self {
            ViewKind::U8 => "Uint8View",
            ViewKind::I8 => "Int8View",
            ViewKind::U16 => "Uint16View",
            ViewKind::I16 => "Int16View",
            ViewKind::U32 => "Uint32View",
            ViewKind::I32 => "Int32View",
            ViewKind::F32 => "Float32View",
            ViewKind::F64 => "Float64View",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ViewKind::U8 => "uint8",
            ViewKind::I8 => "int8",
            ViewKind::U16 => "uint16",
            ViewKind::I16 => "int16",
            ViewKind::U32 => "uint32",
            ViewKind::I32 => "int32",
            ViewKind::F32 => "float32",
            ViewKind::F64 => "float64",
        }
    }
}

/// A typed, little-endian view of a memory from a byte offset.
///
/// @example
///   view = memory.uint8_view(16)
///   view[0] = 255
///   view[0]       # => 255
///   view.length   # => (memory.size - 16) / view.bytes_per_element
///   view.to_a     # Enumerable
#[derive(TypedData)]
#[magnus(class = "Wasmer::MemoryView", mark, free_immediately, size)]
pub struct MemoryView {
    shared: Arc<Shared>,
    memory: engine::Memory,
    offset: usize,
    kind: ViewKind,
}

impl DataTypeFunctions for MemoryView {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

pub fn new_view(ruby: &Ruby, memory: &Memory, kind: ViewKind, offset: usize) -> Result<Value, Error> {
    let class: RClass = crate::root(ruby).const_get(kind.class_name())?;
    let view = MemoryView {
        shared: memory.shared.clone(),
        memory: memory.memory.clone(),
        offset,
        kind,
    };
    Ok(ruby.obj_wrap_as(view, class).as_value())
}

impl MemoryView {
    /// The number of elements, following the memory's current size.
    ///
    /// @return [Integer]
    fn length(ruby: &Ruby, rb_self: &Self) -> Result<usize, Error> {
        let size = rb_self.memory.size().map_err(|e| from_engine(ruby, e))?;
        Ok(size.saturating_sub(rb_self.offset) / rb_self.kind.bytes())
    }

    /// The byte address of element `index`, checked.
    fn address(&self, ruby: &Ruby, index: Value) -> Result<usize, Error> {
        let length = MemoryView::length(ruby, self)?;
        let i = match convert::integer_in(index, i128::MIN, i128::MAX) {
            Ok(i) => i,
            Err(Mismatch::Range) => -1,
            Err(_) => {
                return Err(type_error(
                    ruby,
                    format!("index must be an Integer, got {}", unsafe { index.classname() }),
                ))
            }
        };
        if i < 0 || i >= length as i128 {
            return Err(index_error(
                ruby,
                format!(
                    "index {} outside of the {} view (length {length})",
                    index.inspect(),
                    self.kind.label()
                ),
            ));
        }
        Ok(self.offset + i as usize * self.kind.bytes())
    }

    /// The element at `index`.
    ///
    /// @param index [Integer] 0 ... length
    /// @return [Integer, Float]
    /// @raise [IndexError] if index is out of range
    fn aref(ruby: &Ruby, rb_self: &Self, index: Value) -> Result<Value, Error> {
        let at = rb_self.address(ruby, index)?;
        let mut buf = [0u8; 8];
        let n = rb_self.kind.bytes();
        rb_self
            .memory
            .read(at, &mut buf[..n])
            .map_err(|e| index_error(ruby, e.to_string()))?;
        Ok(match rb_self.kind {
            ViewKind::U8 => convert::i32_to_ruby(buf[0] as i32),
            ViewKind::I8 => convert::i32_to_ruby(buf[0] as i8 as i32),
            ViewKind::U16 => convert::i32_to_ruby(u16::from_le_bytes([buf[0], buf[1]]) as i32),
            ViewKind::I16 => convert::i32_to_ruby(i16::from_le_bytes([buf[0], buf[1]]) as i32),
            ViewKind::U32 => ruby
                .integer_from_u64(u32::from_le_bytes(buf[..4].try_into().unwrap()) as u64)
                .as_value(),
            ViewKind::I32 => convert::i32_to_ruby(i32::from_le_bytes(buf[..4].try_into().unwrap())),
            ViewKind::F32 => ruby
                .float_from_f64(f32::from_le_bytes(buf[..4].try_into().unwrap()) as f64)
                .as_value(),
            ViewKind::F64 => ruby
                .float_from_f64(f64::from_le_bytes(buf))
                .as_value(),
        })
    }

    /// Sets the element at `index`. Integers may be given signed or unsigned (a uint8 view
    /// takes -128..255).
    ///
    /// @param index [Integer] 0 ... length
    /// @param value [Integer, Float]
    /// @return [Integer, Float] value
    /// @raise [IndexError] if index is out of range
    /// @raise [RangeError] if the Integer does not fit the element
    /// @raise [TypeError] if value is not a number
    fn aset(ruby: &Ruby, rb_self: &Self, index: Value, value: Value) -> Result<Value, Error> {
        let at = rb_self.address(ruby, index)?;
        let what = format!("a {} view element", rb_self.kind.label());
        let fail = |m: Mismatch, ty: engine::ValType| mismatch_error(ruby, Place::Value(&what), ty, m, value);
        let int = |bits: u32| -> Result<u64, Error> {
            let min = -(1i128 << (bits - 1));
            let max = (1i128 << bits) - 1;
            convert::integer_in(value, min, max)
                .map(|n| n as u64)
                .map_err(|e| fail(e, engine::ValType::I32))
        };
        let mut buf = [0u8; 8];
        let n = rb_self.kind.bytes();
        match rb_self.kind {
            ViewKind::U8 | ViewKind::I8 => buf[0] = int(8)? as u8,
            ViewKind::U16 | ViewKind::I16 => buf[..2].copy_from_slice(&(int(16)? as u16).to_le_bytes()),
            ViewKind::U32 | ViewKind::I32 => buf[..4].copy_from_slice(&(int(32)? as u32).to_le_bytes()),
            ViewKind::F32 => {
                let f = convert::to_f64(value).map_err(|e| fail(e, engine::ValType::F32))?;
                buf[..4].copy_from_slice(&(f as f32).to_le_bytes())
            }
            ViewKind::F64 => {
                let f = convert::to_f64(value).map_err(|e| fail(e, engine::ValType::F64))?;
                buf.copy_from_slice(&f.to_le_bytes())
            }
        }
        rb_self
            .memory
            .write(at, &buf[..n])
            .map_err(|e| index_error(ruby, e.to_string()))?;
        Ok(value)
    }

    /// The size of an element in bytes.
    ///
    /// @return [Integer]
    fn bytes_per_element(&self) -> usize {
        self.kind.bytes()
    }

    /// The byte offset of element 0 in the memory.
    ///
    /// @return [Integer]
    fn offset(&self) -> usize {
        self.offset
    }

    /// @return [String]
    fn inspect(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Ok(format!(
            "#<Wasmer::{} offset={} length={}>",
            rb_self.kind.class_name(),
            rb_self.offset,
            MemoryView::length(ruby, rb_self)?
        ))
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let base = wasmer.define_class("MemoryView", ruby.class_object())?;
    base.undef_default_alloc_func();
    base.define_method("[]", method!(MemoryView::aref, 1))?;
    base.define_method("[]=", method!(MemoryView::aset, 2))?;
    base.define_method("length", method!(MemoryView::length, 0))?;
    base.define_method("size", method!(MemoryView::length, 0))?;
    base.define_method("bytes_per_element", method!(MemoryView::bytes_per_element, 0))?;
    base.define_method("offset", method!(MemoryView::offset, 0))?;
    base.define_method("inspect", method!(MemoryView::inspect, 0))?;
    for kind in KINDS {
        wasmer.define_class(kind.class_name(), base)?;
    }
    // each and Enumerable are in lib/wasmer/memory_view.rb.
    Ok(())
}
