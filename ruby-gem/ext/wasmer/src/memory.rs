//! `Wasmer::Memory`: an exported linear memory.

use crate::errors::{from_engine, index_error, type_error};
use crate::store::Shared;
use crate::memory_view::{self, ViewKind};
use crate::types;
use magnus::{
    gc::Marker, method, prelude::*, scan_args::scan_args, DataTypeFunctions, Error, RModule,
    RString, Ruby, TypedData, Value,
};
use std::sync::Arc;

/// A WebAssembly linear memory, in 64 KiB pages.
///
/// @example
///   memory = instance.exports.memory
///   memory.write(0, "hi")
///   memory.read(0, 2)          # => "hi" (ASCII-8BIT)
///   memory.uint8_view[0]       # => 104
#[derive(TypedData)]
#[magnus(class = "Wasmer::Memory", mark, free_immediately, size)]
pub struct Memory {
    pub shared: Arc<Shared>,
    pub memory: engine::Memory,
    name: String,
}

impl DataTypeFunctions for Memory {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

/// A non-negative Integer for an offset or a length.
pub fn to_offset(ruby: &Ruby, what: &str, v: Value) -> Result<usize, Error> {
    use crate::convert::integer_in;
    use engine::embed::convert::Mismatch;
    match integer_in(v, i128::MIN, i128::MAX) {
        Ok(n) if n >= 0 && n <= usize::MAX as i128 => Ok(n as usize),
        Ok(_) | Err(Mismatch::Range) => Err(index_error(
            ruby,
            format!("{what} {} is outside the memory", v.inspect()),
        )),
        Err(_) => Err(type_error(
            ruby,
            format!("{what} must be an Integer, got {}", unsafe { v.classname() }),
        )),
    }
}

/// An engine error of the memory method `method` (`read`): out of bounds, named after it.
fn out_of_bounds(ruby: &Ruby, method: &str, e: engine::Error) -> Error {
    match e {
        engine::Error::Usage(m) => index_error(ruby, format!("Wasmer::Memory#{method}(): {m}")),
        other => from_engine(ruby, other),
    }
}

/// The IndexError of the memory method `method` for `len` bytes at `offset`.
fn outside(ruby: &Ruby, method: &str, offset: i128, len: usize, size: usize) -> Error {
    let why = engine::embed::messages::outside_memory(offset, len as u128, size);
    index_error(ruby, format!("Wasmer::Memory#{method}(): {why}"))
}

/// The offset `v` of the memory method `method`: an Integer; a negative one is outside.
fn memory_offset(ruby: &Ruby, method: &str, v: Value, len: usize, size: usize) -> Result<usize, Error> {
    match crate::convert::integer_in(v, i128::MIN, i128::MAX) {
        Ok(n) if n >= 0 && n <= usize::MAX as i128 => Ok(n as usize),
        Ok(n) => Err(outside(ruby, method, n, len, size)),
        Err(_) => to_offset(ruby, "offset", v),
    }
}

impl Memory {
    /// A new memory, in a store of its own, to give as an import: instances importing it are
    /// made in its store.
    ///
    /// @param min [Integer] the initial size in 64 KiB pages
    /// @param max [Integer, nil] the most pages it may grow to
    /// @return [Wasmer::Memory]
    /// @raise [ArgumentError] if a size is not between 0 and 65536 pages, or max < min
    fn make(ruby: &Ruby, args: &[Value]) -> Result<magnus::typed_data::Obj<Memory>, Error> {
        let args = scan_args::<(), (), (), (), magnus::RHash, ()>(args)?;
        let kwargs = magnus::scan_args::get_kwargs::<_, (Value,), (Option<Value>,), ()>(args.keywords, &["min"], &["max"])?;
        let (min,) = kwargs.required;
        let (max,) = kwargs.optional;
        let pages = |v: Value, what: &str| -> Result<u32, Error> {
            match crate::convert::integer_in(v, 0, 65536) {
                Ok(n) => Ok(n as u32),
                Err(_) => Err(crate::errors::argument_error(
                    ruby,
                    format!("Wasmer::Memory.new: {what}: must be an Integer from 0 to 65536 pages, got {}", v.inspect()),
                )),
            }
        };
        let minimum = pages(min, "min")?;
        let maximum = max.filter(|v| !v.is_nil()).map(|v| pages(v, "max")).transpose()?;
        if maximum.is_some_and(|m| m < minimum) {
            return Err(crate::errors::argument_error(ruby, "Wasmer::Memory.new: max: must not be less than min:"));
        }
        let store = crate::store::new_store();
        let memory = engine::Memory::new(&store, engine::MemoryType { minimum, maximum }).map_err(|e| from_engine(ruby, e))?;
        crate::store::made_alone(ruby, &store, |shared| Ok(Memory::new(shared, memory, "memory")))
    }

    pub fn new(shared: Arc<Shared>, memory: engine::Memory, name: &str) -> Memory {
        Memory {
            shared,
            memory,
            name: name.to_owned(),
        }
    }

    /// Reads bytes.
    ///
    /// @param offset [Integer] in bytes
    /// @param length [Integer] in bytes
    /// @return [String] a binary (ASCII-8BIT) String
    /// @raise [IndexError] if the range is outside the memory
    fn read(ruby: &Ruby, rb_self: &Self, offset: Value, length: Value) -> Result<RString, Error> {
        let length = to_offset(ruby, "length", length)?;
        let size = rb_self.memory.size().map_err(|e| from_engine(ruby, e))?;
        let offset = memory_offset(ruby, "read", offset, length, size)?;
        // Checked before the buffer is made: a huge length must not allocate.
        if offset.checked_add(length).is_none_or(|end| end > size) {
            return Err(outside(ruby, "read", offset as i128, length, size));
        }
        let mut buf = vec![0u8; length];
        rb_self.memory.read(offset, &mut buf).map_err(|e| out_of_bounds(ruby, "read", e))?;
        Ok(ruby.str_from_slice(&buf))
    }

    /// Writes the bytes of a String.
    ///
    /// @param offset [Integer] in bytes
    /// @param bytes [String]
    /// @return [Integer] the number of bytes written
    /// @raise [IndexError] if the range is outside the memory
    fn write(ruby: &Ruby, rb_self: &Self, offset: Value, bytes: Value) -> Result<usize, Error> {
        let bytes = RString::from_value(bytes).ok_or_else(|| {
            type_error(
                ruby,
                format!("Wasmer::Memory#write expects a String, got {}", unsafe { bytes.classname() }),
            )
        })?;
        // Copying does not call Ruby: the borrowed bytes cannot change meanwhile.
        let data = unsafe { bytes.as_slice() };
        let size = rb_self.memory.size().map_err(|e| from_engine(ruby, e))?;
        let offset = memory_offset(ruby, "write", offset, data.len(), size)?;
        rb_self.memory.write(offset, data).map_err(|e| out_of_bounds(ruby, "write", e))?;
        Ok(data.len())
    }

    /// Reads a NUL-terminated string.
    ///
    /// @param offset [Integer] in bytes
    /// @return [String] the bytes up to the first NUL (or the end of memory), as UTF-8
    /// @raise [IndexError] if offset is outside the memory
    fn read_cstring(ruby: &Ruby, rb_self: &Self, offset: Value) -> Result<RString, Error> {
        let size = rb_self.memory.size().map_err(|e| from_engine(ruby, e))?;
        let offset = memory_offset(ruby, "read_cstring", offset, 1, size)?;
        let bytes = rb_self.memory.read_c_string(offset).map_err(|e| out_of_bounds(ruby, "read_cstring", e))?;
        Ok(ruby.enc_str_new(&bytes, ruby.utf8_encoding()))
    }

    /// The size in bytes.
    ///
    /// @return [Integer]
    fn size(ruby: &Ruby, rb_self: &Self) -> Result<usize, Error> {
        rb_self.memory.size().map_err(|e| from_engine(ruby, e))
    }

    /// The size in 64 KiB pages.
    ///
    /// @return [Integer]
    fn pages(ruby: &Ruby, rb_self: &Self) -> Result<u32, Error> {
        rb_self.memory.pages().map_err(|e| from_engine(ruby, e))
    }

    /// The maximum size in pages, or nil.
    ///
    /// @return [Integer, nil]
    fn maximum(ruby: &Ruby, rb_self: &Self) -> Result<Option<u32>, Error> {
        Ok(rb_self.memory.ty().map_err(|e| from_engine(ruby, e))?.maximum)
    }

    /// Grows the memory.
    ///
    /// @param pages [Integer] how many 64 KiB pages to add
    /// @return [Integer] the previous number of pages
    /// @raise [Wasmer::Error] if that would pass the maximum
    fn grow(ruby: &Ruby, rb_self: &Self, pages: Value) -> Result<u32, Error> {
        let delta = match crate::convert::integer_in(pages, 0, u32::MAX as i128) {
            Ok(n) => n as u32,
            Err(engine::embed::convert::Mismatch::Range) => {
                return Err(crate::errors::wasmer_error(
                    ruby,
                    format!("cannot grow memory by {} pages", pages.inspect()),
                ))
            }
            Err(_) => {
                return Err(type_error(
                    ruby,
                    format!("pages must be an Integer, got {}", unsafe { pages.classname() }),
                ))
            }
        };
        rb_self.memory.grow(delta).map_err(|e| from_engine(ruby, e))
    }

    /// The type: minimum (current) and maximum pages.
    ///
    /// @return [Wasmer::MemoryType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::extern_type(ruby, &engine::ExternType::Memory(rb_self.memory.ty().map_err(|e| from_engine(ruby, e))?))
    }

    /// @return [String]
    fn inspect(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        let pages = Memory::pages(ruby, rb_self)?;
        Ok(format!("#<Wasmer::Memory {} pages={pages}>", rb_self.name))
    }

    fn view(ruby: &Ruby, rb_self: &Self, kind: ViewKind, args: &[Value]) -> Result<Value, Error> {
        let args = scan_args::<(), (Option<Value>,), (), (), (), ()>(args)?;
        let offset = match args.optional.0 {
            Some(v) if !v.is_nil() => to_offset(ruby, "offset", v)?,
            _ => 0,
        };
        memory_view::new_view(ruby, rb_self, kind, offset)
    }
}

macro_rules! view_methods {
    ($($fn_name:ident => $kind:ident),*) => {
        $(
            /// A view of the memory from `offset` (in bytes).
            ///
            /// @param offset [Integer] in bytes, default 0
            /// @return [Wasmer::MemoryView]
            fn $fn_name(ruby: &Ruby, rb_self: &Memory, args: &[Value]) -> Result<Value, Error> {
                Memory::view(ruby, rb_self, ViewKind::$kind, args)
            }
        )*
    };
}

view_methods!(
    uint8_view => U8, int8_view => I8, uint16_view => U16, int16_view => I16,
    uint32_view => U32, int32_view => I32, float32_view => F32, float64_view => F64
);

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Memory", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", magnus::function!(Memory::make, -1))?;
    class.define_method("read", method!(Memory::read, 2))?;
    class.define_method("write", method!(Memory::write, 2))?;
    class.define_method("read_cstring", method!(Memory::read_cstring, 1))?;
    class.define_method("size", method!(Memory::size, 0))?;
    class.define_method("data_size", method!(Memory::size, 0))?;
    class.define_method("pages", method!(Memory::pages, 0))?;
    class.define_method("maximum", method!(Memory::maximum, 0))?;
    class.define_method("grow", method!(Memory::grow, 1))?;
    class.define_method("type", method!(Memory::r#type, 0))?;
    class.define_method("inspect", method!(Memory::inspect, 0))?;
    class.define_method("uint8_view", method!(uint8_view, -1))?;
    class.define_method("int8_view", method!(int8_view, -1))?;
    class.define_method("uint16_view", method!(uint16_view, -1))?;
    class.define_method("int16_view", method!(int16_view, -1))?;
    class.define_method("uint32_view", method!(uint32_view, -1))?;
    class.define_method("int32_view", method!(int32_view, -1))?;
    class.define_method("float32_view", method!(float32_view, -1))?;
    class.define_method("float64_view", method!(float64_view, -1))?;
    Ok(())
}
