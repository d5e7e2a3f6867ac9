//! The conversion rules of both bindings, so that PHP and Ruby accept and refuse the same
//! values (`tests/fixtures/conversions.tsv` holds them as a table both test suites read):
//!
//! - an integer → `i32` if in −2^31 … 2^32−1 (the upper half is taken as unsigned bits, so
//!   `0xFFFF_FFFF` passes as −1); → `i64` if in −2^63 … 2^64−1 (likewise); → `f32`/`f64`
//!   rounded to the nearest;
//! - a float → `f32` (rounded) or `f64`; never to an integer type: that would lose digits
//!   silently;
//! - anything else (booleans, strings, ...) is a type mismatch, for numbers; references are
//!   the binding's business (null, its function objects, any value as externref);
//! - results: `i32`/`i64` → a signed integer, `f32`/`f64` → a float;
//! - a `v128`, both ways, is a binary string of exactly 16 bytes in memory order (lane 0
//!   first, each lane little-endian), as `v128.store` would write it.

use crate::{Val, ValRaw, ValType};

/// Why a host value does not convert to a wasm type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Not a value of a kind that converts to the type.
    Type,
    /// An integer outside the range of the type.
    Range,
    /// A string of this many bytes for a `v128`, which takes 16.
    Length(usize),
    /// A function of another store for a funcref (a store's wasm reaches only its own).
    Store,
}

/// Whether `v` may be used in `store`: a funcref must be of a function of that store.
pub fn check_store(v: &Val, store: &crate::Store) -> Result<(), Mismatch> {
    match v {
        Val::FuncRef(Some(f)) if f.store() != *store => Err(Mismatch::Store),
        _ => Ok(()),
    }
}

/// The integers a wasm integer type accepts, inclusive.
pub fn int_range(ty: ValType) -> Option<(i128, i128)> {
    match ty {
        ValType::I32 => Some((i32::MIN as i128, u32::MAX as i128)),
        ValType::I64 => Some((i64::MIN as i128, u64::MAX as i128)),
        _ => None,
    }
}

/// An integer as the raw slot of a value of type `ty`.
#[inline(always)]
pub fn int_to_raw(v: i128, ty: ValType) -> Result<ValRaw, Mismatch> {
    if let Ok(v) = i64::try_from(v) {
        return i64_to_raw(v, ty);
    }
    // Beyond i64: only the upper half of u64 (as i64 bits), and floats.
    match ty {
        ValType::I64 if v > 0 && v <= u64::MAX as i128 => Ok(ValRaw::i64(v as u64 as i64)),
        ValType::I32 | ValType::I64 => Err(Mismatch::Range),
        ValType::F32 => Ok(ValRaw::f32((v as f32).to_bits())),
        ValType::F64 => Ok(ValRaw::f64((v as f64).to_bits())),
        ValType::V128 | ValType::FuncRef | ValType::ExternRef => Err(Mismatch::Type),
    }
}

/// An integer that fits in an i64 (a PHP int, a Ruby Fixnum) as the raw slot of a value of
/// type `ty`: [`int_to_raw`] in 64-bit arithmetic, for the call fast paths.
#[inline(always)]
pub fn i64_to_raw(v: i64, ty: ValType) -> Result<ValRaw, Mismatch> {
    match ty {
        ValType::I32 if v >= i32::MIN as i64 && v <= u32::MAX as i64 => Ok(ValRaw::i32(v as u32 as i32)),
        ValType::I32 => Err(Mismatch::Range),
        ValType::I64 => Ok(ValRaw::i64(v)),
        ValType::F32 => Ok(ValRaw::f32((v as f32).to_bits())),
        ValType::F64 => Ok(ValRaw::f64((v as f64).to_bits())),
        ValType::V128 | ValType::FuncRef | ValType::ExternRef => Err(Mismatch::Type),
    }
}

/// A float as the raw slot of a value of type `ty`.
#[inline(always)]
pub fn float_to_raw(v: f64, ty: ValType) -> Result<ValRaw, Mismatch> {
    match ty {
        ValType::F32 => Ok(ValRaw::f32((v as f32).to_bits())),
        ValType::F64 => Ok(ValRaw::f64(v.to_bits())),
        _ => Err(Mismatch::Type),
    }
}

/// The bytes of a binary string as a `v128`: exactly 16 of them, in memory order.
#[inline]
pub fn bytes_to_v128(bytes: &[u8]) -> Result<Val, Mismatch> {
    let bytes = <[u8; 16]>::try_from(bytes).map_err(|_| Mismatch::Length(bytes.len()))?;
    Ok(Val::V128(u128::from_le_bytes(bytes)))
}

/// A `v128` as the 16 bytes a binding returns as a binary string.
#[inline]
pub fn v128_to_bytes(bits: u128) -> [u8; 16] {
    bits.to_le_bytes()
}

/// A number as a binding hands it to its language: integers signed, floats widened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// The raw slot of a numeric result of type `ty` as the number a binding returns; `None`
/// for a reference type.
#[inline(always)]
pub fn raw_to_number(raw: ValRaw, ty: ValType) -> Option<Number> {
    match ty {
        ValType::I32 => Some(Number::Int(raw.get_i32() as i64)),
        ValType::I64 => Some(Number::Int(raw.get_i64())),
        ValType::F32 => Some(Number::Float(f32::from_bits(raw.get_f32()) as f64)),
        ValType::F64 => Some(Number::Float(f64::from_bits(raw.get_f64()))),
        ValType::V128 | ValType::FuncRef | ValType::ExternRef => None,
    }
}

/// The `Val` of a numeric raw slot, for a binding's `Val` path: the slot comes from
/// [`int_to_raw`] or [`float_to_raw`], which never produce references (a reference type gives
/// null).
#[inline(always)]
pub fn raw_to_val(raw: ValRaw, ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(raw.get_i32()),
        ValType::I64 => Val::I64(raw.get_i64()),
        ValType::F32 => Val::F32(raw.get_f32()),
        ValType::F64 => Val::F64(raw.get_f64()),
        ValType::V128 => Val::V128(raw.get_v128()),
        ValType::FuncRef => Val::FuncRef(None),
        ValType::ExternRef => Val::ExternRef(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges() {
        assert_eq!(int_to_raw(u32::MAX as i128, ValType::I32).unwrap().get_i32(), -1);
        assert_eq!(int_to_raw(1 << 32, ValType::I32), Err(Mismatch::Range));
        assert_eq!(int_to_raw(-(1 << 31) - 1, ValType::I32), Err(Mismatch::Range));
        assert_eq!(int_to_raw(u64::MAX as i128, ValType::I64).unwrap().get_i64(), -1);
        assert_eq!(int_to_raw(1 << 64, ValType::I64), Err(Mismatch::Range));
        assert_eq!(float_to_raw(1.0, ValType::I32), Err(Mismatch::Type));
        assert_eq!(int_to_raw(0, ValType::ExternRef), Err(Mismatch::Type));
        assert_eq!(i64_to_raw(i64::MIN, ValType::I64).unwrap().get_i64(), i64::MIN);
        assert_eq!(i64_to_raw(u32::MAX as i64 + 1, ValType::I32), Err(Mismatch::Range));
        assert_eq!(int_to_raw(1 << 70, ValType::F64).unwrap().get_f64(), (2f64).powi(70).to_bits());
        assert_eq!(int_to_raw(-(1 << 64), ValType::I64), Err(Mismatch::Range));
    }

    #[test]
    fn v128_is_sixteen_bytes_in_memory_order() {
        let bytes: Vec<u8> = (0..16).collect();
        let Ok(Val::V128(bits)) = bytes_to_v128(&bytes) else { panic!("16 bytes refused") };
        // Lane 0 of an i32x4 is the first four bytes, little-endian.
        assert_eq!(bits as u32, 0x0302_0100);
        assert_eq!(v128_to_bytes(bits).as_slice(), bytes.as_slice());
        assert!(matches!(bytes_to_v128(&bytes[..15]), Err(Mismatch::Length(15))));
        assert!(matches!(bytes_to_v128(&[0; 17]), Err(Mismatch::Length(17))));
        assert_eq!(int_to_raw(0, ValType::V128), Err(Mismatch::Type));
    }
}
