//! `Wasm\Memory`: a linear memory as PHP byte strings, `ArrayAccess` over its bytes and
//! `Countable` (its size in bytes).

use crate::errors::{self, out_of_bounds, type_error, value_error};
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::ffi::{ext_php_rs_zend_string_init, zend_string};
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendStr, Zval};
use ext_php_rs::zend::ce;

/// A binary-safe PHP string made straight from bytes.
pub struct Bytes(ZBox<ZendStr>);

impl Bytes {
    fn new(bytes: &[u8]) -> Bytes {
        // SAFETY: zend_string_init copies `len` bytes from a valid slice into a new string,
        // which the ZBox then owns.
        unsafe {
            let s: *mut zend_string =
                ext_php_rs_zend_string_init(bytes.as_ptr().cast(), bytes.len(), false);
            Bytes(ZBox::from_raw(s.cast()))
        }
    }
}

impl IntoZval for Bytes {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(self.0);
        Ok(())
    }
}

/// A WebAssembly linear memory.
#[php_class]
#[php(name = "Wasm\\Memory")]
#[php(implements(ce = ce::arrayaccess, stub = "\\ArrayAccess"))]
#[php(implements(ce = ce::countable, stub = "\\Countable"))]
pub struct Memory {
    pub(crate) memory: engine::Memory,
}


impl Memory {
    pub(crate) fn new(memory: engine::Memory) -> Memory {
        Memory { memory }
    }

    /// Checks that `len` bytes at `offset` are inside the memory.
    fn range(&self, method: &str, offset: i64, len: i64) -> PhpResult<(usize, usize)> {
        if len < 0 {
            return Err(value_error(format!(
                "Wasm\\Memory::{method}(): Argument #2 ($length) must be greater than or equal to 0"
            )));
        }
        let size = self.size_bytes()? as u64;
        let fits = offset >= 0 && (offset as u64).checked_add(len as u64).is_some_and(|end| end <= size);
        if !fits {
            return Err(out_of_bounds(format!(
                "Wasm\\Memory::{method}(): {}",
                engine::embed::messages::outside_memory(offset.into(), len as u128, size as usize)
            )));
        }
        Ok((offset as usize, len as usize))
    }

    /// The `N` bytes at `offset`.
    fn load<const N: usize>(&self, method: &str, offset: i64) -> PhpResult<[u8; N]> {
        let (offset, _) = self.range(method, offset, N as i64)?;
        let mut bytes = [0; N];
        self.memory.read(offset, &mut bytes).map_err(errors::php)?;
        Ok(bytes)
    }

    fn store<const N: usize>(&self, method: &str, offset: i64, bytes: [u8; N]) -> PhpResult<()> {
        let (offset, _) = self.range(method, offset, N as i64)?;
        self.memory.write(offset, &bytes).map_err(errors::php)
    }

    /// `value` as an integer of `bits` bits, signed or not: from -2^(bits-1) to 2^bits-1, as
    /// wasm's i32 arguments are.
    fn narrow(method: &str, value: i64, bits: u32) -> PhpResult<i64> {
        let (min, max) = (-(1i64 << (bits - 1)), (1i64 << bits) - 1);
        if (min..=max).contains(&value) {
            return Ok(value);
        }
        Err(value_error(format!(
            "Wasm\\Memory::{method}(): Argument #2 ($value) must be between {min} and {max}, {value} given"
        )))
    }

    fn size_bytes(&self) -> PhpResult<usize> {
        self.memory.size().map_err(errors::php)
    }

    fn index(&self, offset: &Zval) -> PhpResult<usize> {
        let offset = offset.dereference();
        let Some(i) = offset.long() else {
            return Err(type_error(format!(
                "Wasm\\Memory offset must be of type int, {} given",
                crate::convert::type_name(offset)
            )));
        };
        let size = self.size_bytes()?;
        if i < 0 || i as u64 >= size as u64 {
            return Err(out_of_bounds(format!(
                "Wasm\\Memory offset {i} is outside the memory ({size} bytes)"
            )));
        }
        Ok(i as usize)
    }
}

#[php_impl]
impl Memory {
    /// A new memory of `$minimum` 64 KiB pages, growable up to `$maximum` pages, in a store of
    /// its own: instances importing it are created in that store (and live as long as it).
    #[php(optional = maximum)]
    pub fn __construct(minimum: i64, maximum: Option<i64>) -> PhpResult<Self> {
        let pages = |v: i64, arg: &str| {
            u32::try_from(v).ok().filter(|&p| p <= 65536).ok_or_else(|| {
                value_error(format!(
                    "Wasm\\Memory::__construct(): Argument {arg} must be between 0 and 65536 pages"
                ))
            })
        };
        let minimum = pages(minimum, "#1 ($minimum)")?;
        let maximum = maximum.map(|m| pages(m, "#2 ($maximum)")).transpose()?;
        if maximum.is_some_and(|m| m < minimum) {
            return Err(value_error(
                "Wasm\\Memory::__construct(): Argument #2 ($maximum) must not be less than the minimum",
            ));
        }
        let store = crate::store::new_store();
        let memory = engine::Memory::new(&store, engine::MemoryType { minimum, maximum })
            .map_err(errors::php)?;
        Ok(Memory::new(memory))
    }

    /// `$length` bytes at `$offset`, as a binary string.
    pub fn read(&self, offset: i64, length: i64) -> PhpResult<Bytes> {
        let (offset, len) = self.range("read", offset, length)?;
        let mut bytes = vec![0; len];
        self.memory.read(offset, &mut bytes).map_err(errors::php)?;
        Ok(Bytes::new(&bytes))
    }

    /// Writes `$bytes` at `$offset`.
    pub fn write(&self, offset: i64, bytes: BinarySlice<u8>) -> PhpResult<()> {
        let (offset, _) = self.range("write", offset, bytes.len() as i64)?;
        self.memory.write(offset, &bytes).map_err(errors::php)
    }

    /// The bytes at `$offset` up to the first NUL byte (or the end of the memory).
    #[php(name = "readCString")]
    pub fn read_c_string(&self, offset: i64) -> PhpResult<Bytes> {
        let (offset, _) = self.range("readCString", offset, 1)?;
        let bytes = self.memory.read_c_string(offset).map_err(errors::php)?;
        Ok(Bytes::new(&bytes))
    }

    /// A signed 8-bit integer at `$offset`, little-endian.
    #[php(name = "readI8")]
    pub fn read_i8(&self, offset: i64) -> PhpResult<i64> {
        Ok(i8::from_le_bytes(self.load("readI8", offset)?) as i64)
    }

    /// An unsigned 8-bit integer at `$offset`, little-endian.
    #[php(name = "readU8")]
    pub fn read_u8(&self, offset: i64) -> PhpResult<i64> {
        Ok(u8::from_le_bytes(self.load("readU8", offset)?) as i64)
    }

    /// A signed 16-bit integer at `$offset`, little-endian.
    #[php(name = "readI16")]
    pub fn read_i16(&self, offset: i64) -> PhpResult<i64> {
        Ok(i16::from_le_bytes(self.load("readI16", offset)?) as i64)
    }

    /// An unsigned 16-bit integer at `$offset`, little-endian.
    #[php(name = "readU16")]
    pub fn read_u16(&self, offset: i64) -> PhpResult<i64> {
        Ok(u16::from_le_bytes(self.load("readU16", offset)?) as i64)
    }

    /// A signed 32-bit integer at `$offset`, little-endian.
    #[php(name = "readI32")]
    pub fn read_i32(&self, offset: i64) -> PhpResult<i64> {
        Ok(i32::from_le_bytes(self.load("readI32", offset)?) as i64)
    }

    /// An unsigned 32-bit integer at `$offset`, little-endian.
    #[php(name = "readU32")]
    pub fn read_u32(&self, offset: i64) -> PhpResult<i64> {
        Ok(u32::from_le_bytes(self.load("readU32", offset)?) as i64)
    }

    /// A signed 64-bit integer at `$offset`, little-endian.
    #[php(name = "readI64")]
    pub fn read_i64(&self, offset: i64) -> PhpResult<i64> {
        Ok(i64::from_le_bytes(self.load("readI64", offset)?))
    }

    /// A 32-bit float at `$offset`, little-endian.
    #[php(name = "readF32")]
    pub fn read_f32(&self, offset: i64) -> PhpResult<f64> {
        Ok(f32::from_le_bytes(self.load("readF32", offset)?) as f64)
    }

    /// A 64-bit float at `$offset`, little-endian.
    #[php(name = "readF64")]
    pub fn read_f64(&self, offset: i64) -> PhpResult<f64> {
        Ok(f64::from_le_bytes(self.load("readF64", offset)?))
    }

    /// Writes `$value` (from -2**7 to 2**8-1) at `$offset` as 8 bits, little-endian.
    #[php(name = "writeI8")]
    pub fn write_i8(&self, offset: i64, value: i64) -> PhpResult<()> {
        let value = Self::narrow("writeI8", value, 8)?;
        self.store("writeI8", offset, (value as u8).to_le_bytes())
    }

    /// Writes `$value` (from -2**15 to 2**16-1) at `$offset` as 16 bits, little-endian.
    #[php(name = "writeI16")]
    pub fn write_i16(&self, offset: i64, value: i64) -> PhpResult<()> {
        let value = Self::narrow("writeI16", value, 16)?;
        self.store("writeI16", offset, (value as u16).to_le_bytes())
    }

    /// Writes `$value` (from -2**31 to 2**32-1) at `$offset` as 32 bits, little-endian.
    #[php(name = "writeI32")]
    pub fn write_i32(&self, offset: i64, value: i64) -> PhpResult<()> {
        let value = Self::narrow("writeI32", value, 32)?;
        self.store("writeI32", offset, (value as u32).to_le_bytes())
    }

    /// Writes `$value` at `$offset` as 64 bits, little-endian.
    #[php(name = "writeI64")]
    pub fn write_i64(&self, offset: i64, value: i64) -> PhpResult<()> {
        self.store("writeI64", offset, value.to_le_bytes())
    }

    /// Writes `$value` at `$offset` as a 32-bit float (rounded to nearest), little-endian.
    #[php(name = "writeF32")]
    pub fn write_f32(&self, offset: i64, value: f64) -> PhpResult<()> {
        self.store("writeF32", offset, (value as f32).to_le_bytes())
    }

    /// Writes `$value` at `$offset` as a 64-bit float, little-endian.
    #[php(name = "writeF64")]
    pub fn write_f64(&self, offset: i64, value: f64) -> PhpResult<()> {
        self.store("writeF64", offset, value.to_le_bytes())
    }

    /// The size in bytes.
    pub fn size(&self) -> PhpResult<i64> {
        Ok(self.size_bytes()? as i64)
    }

    /// The size in 64 KiB pages.
    pub fn pages(&self) -> PhpResult<i64> {
        self.memory.pages().map(i64::from).map_err(errors::php)
    }

    /// The maximum size in pages, or null when the memory has none.
    pub fn maximum(&self) -> PhpResult<Option<i64>> {
        let ty = self.memory.ty().map_err(errors::php)?;
        Ok(ty.maximum.map(i64::from))
    }

    /// Grows the memory by `$pages` pages; returns the previous number of pages.
    pub fn grow(&self, pages: i64) -> PhpResult<i64> {
        let Ok(delta) = u32::try_from(pages) else {
            return Err(value_error(
                "Wasm\\Memory::grow(): Argument #1 ($pages) must be between 0 and 65536",
            ));
        };
        self.memory.grow(delta).map(|old| old as i64).map_err(errors::php)
    }

    /// Whether `$offset` is a byte of the memory.
    pub fn offset_exists(&self, offset: &Zval) -> PhpResult<bool> {
        let size = self.size_bytes()? as u64;
        let offset = offset.dereference();
        Ok(offset.long().is_some_and(|i| i >= 0 && (i as u64) < size))
    }

    /// The byte at `$offset`, as an int from 0 to 255.
    pub fn offset_get(&self, offset: &Zval) -> PhpResult<i64> {
        let i = self.index(offset)?;
        let mut byte = [0u8];
        self.memory.read(i, &mut byte).map_err(errors::php)?;
        Ok(byte[0] as i64)
    }

    /// Sets the byte at `$offset` to `$value`, an int from 0 to 255.
    pub fn offset_set(&self, offset: &Zval, value: &Zval) -> PhpResult<()> {
        if offset.dereference().is_null() {
            return Err(errors::wasm_exception("Wasm\\Memory cannot be appended to ($memory[] = ...)"));
        }
        let i = self.index(offset)?;
        let value = value.dereference();
        let byte = match value.long() {
            Some(v @ 0..=255) => v as u8,
            Some(v) => {
                return Err(value_error(format!(
                    "a byte of Wasm\\Memory must be between 0 and 255, {v} given"
                )))
            }
            None => {
                return Err(type_error(format!(
                    "a byte of Wasm\\Memory must be of type int, {} given",
                    crate::convert::type_name(value)
                )))
            }
        };
        self.memory.write(i, &[byte]).map_err(errors::php)
    }

    /// Bytes of a memory cannot be removed.
    pub fn offset_unset(&self, offset: &Zval) -> PhpResult<()> {
        let _ = offset;
        Err(errors::wasm_exception("bytes of a Wasm\\Memory cannot be unset"))
    }

    /// The size in bytes.
    pub fn count(&self) -> PhpResult<i64> {
        self.size()
    }
}

impl crate::helpers::debug_info::DebugInfo for Memory {
    /// `pages`, `size` (bytes) and `maximum` (pages or null).
    fn debug_info(&self) -> ZBox<ext_php_rs::types::ZendHashTable> {
        let mut table = ext_php_rs::types::ZendHashTable::new();
        if let (Ok(pages), Ok(size), Ok(ty)) = (self.memory.pages(), self.memory.size(), self.memory.ty()) {
            let _ = table.insert("pages", i64::from(pages));
            let _ = table.insert("size", size as i64);
            let _ = table.insert("maximum", ty.maximum.map(i64::from));
        }
        table
    }
}
