//! Ruby objects to wasm values and back.
//!
//! Arguments: Integer → i32 (−2^31…2^32−1, the upper half wraps to negative), Integer → i64
//! (−2^63…2^64−1), Integer or Float → f32/f64, Wasmer::Function or nil → funcref, any object
//! or nil → externref. Out of range → RangeError, anything else → TypeError.
//! Results: i32/i64 → Integer (signed), f32/f64 → Float.

use crate::errors::{range_error, type_error};
use crate::function::Function;
use crate::instance::Shared;
use engine::{Val, ValRaw, ValType};
use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, Float, Integer, Ruby, Value,
};
use std::sync::Arc;

/// Why a Ruby object does not convert to a wasm value.
pub enum ConvError {
    /// Not an object of a usable class: TypeError.
    Type,
    /// An Integer outside the range of the wasm type: RangeError.
    Range,
}

impl ConvError {
    /// The exception for argument `index` (0-based) of the export `name`.
    #[cold]
    pub fn for_argument(self, ruby: &Ruby, name: &str, index: usize, ty: ValType, value: Value) -> Error {
        let what = format!("{name}: argument {} (index {index})", index + 1);
        self.describe(ruby, &what, ty, value)
    }

    /// The exception for a value returned by the import `label`.
    #[cold]
    pub fn for_result(self, ruby: &Ruby, label: &str, index: usize, ty: ValType, value: Value) -> Error {
        let what = format!("import {label}: result {} (index {index})", index + 1);
        self.describe(ruby, &what, ty, value)
    }

    /// The exception for a value given to a global, a view or a table.
    #[cold]
    pub fn for_value(self, ruby: &Ruby, what: &str, ty: ValType, value: Value) -> Error {
        self.describe(ruby, what, ty, value)
    }

    fn describe(self, ruby: &Ruby, what: &str, ty: ValType, value: Value) -> Error {
        match self {
            ConvError::Type => type_error(
                ruby,
                format!(
                    "{what} must be {} for wasm type {ty}, got {}",
                    expected_class(ty),
                    unsafe { value.classname() }
                ),
            ),
            ConvError::Range => range_error(
                ruby,
                format!("{what}: {} is out of range for wasm type {ty} ({})", inspect(value), range_of(ty)),
            ),
        }
    }
}

fn inspect(value: Value) -> String {
    value.inspect()
}

fn expected_class(ty: ValType) -> &'static str {
    match ty {
        ValType::I32 | ValType::I64 => "an Integer",
        ValType::F32 | ValType::F64 => "an Integer or a Float",
        ValType::FuncRef => "a Wasmer::Function of the same instance or nil",
        ValType::ExternRef => "an object or nil",
    }
}

fn range_of(ty: ValType) -> &'static str {
    match ty {
        ValType::I32 => "-2**31...2**32",
        ValType::I64 => "-2**63...2**64",
        _ => "",
    }
}

/// The value of a Fixnum, without calling Ruby.
#[inline(always)]
pub fn fixnum(v: Value) -> Option<i64> {
    let raw = v.as_raw();
    if raw & 1 == 1 {
        Some((raw as i64) >> 1)
    } else {
        None
    }
}

/// An Integer for an i32, without calling Ruby (every i32 is a Fixnum).
#[inline(always)]
pub fn i32_to_ruby(n: i32) -> Value {
    unsafe { Value::from_raw((((n as i64) << 1) | 1) as rb_sys::VALUE) }
}

/// An Integer in `min..=max` (as i128 so that u64 and i64 both fit).
#[inline]
pub fn integer_in(v: Value, min: i128, max: i128) -> Result<i128, ConvError> {
    if let Some(n) = fixnum(v) {
        let n = n as i128;
        return if n >= min && n <= max { Ok(n) } else { Err(ConvError::Range) };
    }
    match Integer::from_value(v) {
        Some(i) => match i.to_i128() {
            Ok(n) if n >= min && n <= max => Ok(n),
            _ => Err(ConvError::Range),
        },
        None => Err(ConvError::Type),
    }
}

#[inline(always)]
pub fn to_i32(v: Value) -> Result<i32, ConvError> {
    if let Some(n) = fixnum(v) {
        return if (-(1i64 << 31)..=u32::MAX as i64).contains(&n) {
            Ok(n as u32 as i32)
        } else {
            Err(ConvError::Range)
        };
    }
    match Integer::from_value(v) {
        // Every Bignum is outside the i32 range.
        Some(_) => Err(ConvError::Range),
        None => Err(ConvError::Type),
    }
}

#[inline]
pub fn to_i64(v: Value) -> Result<i64, ConvError> {
    if let Some(n) = fixnum(v) {
        return Ok(n);
    }
    integer_in(v, i64::MIN as i128, u64::MAX as i128).map(|n| n as u64 as i64)
}

#[inline]
pub fn to_f64(v: Value) -> Result<f64, ConvError> {
    if let Some(f) = Float::from_value(v) {
        return Ok(f.to_f64());
    }
    if let Some(n) = fixnum(v) {
        return Ok(n as f64);
    }
    match Integer::from_value(v) {
        Some(i) => Ok(unsafe { rb_sys::rb_big2dbl(i.as_raw()) }),
        None => Err(ConvError::Type),
    }
}

/// `v` as the raw slot of a numeric type (an i32 as its bits zero-extended, an i64 or a
/// float as its bits), for `Func::call_raw`.
#[inline(always)]
pub fn to_raw(v: Value, ty: ValType) -> Result<ValRaw, ConvError> {
    match ty {
        ValType::I32 => to_i32(v).map(ValRaw::i32),
        ValType::I64 => to_i64(v).map(ValRaw::i64),
        ValType::F32 => to_f64(v).map(|f| ValRaw::f32((f as f32).to_bits())),
        ValType::F64 => to_f64(v).map(|f| ValRaw::f64(f.to_bits())),
        ValType::FuncRef | ValType::ExternRef => Err(ConvError::Type),
    }
}

/// The Ruby object for a raw result slot of a numeric type.
#[inline(always)]
pub fn raw_to_ruby(ruby: &Ruby, ty: ValType, raw: ValRaw) -> Value {
    match ty {
        ValType::I32 => i32_to_ruby(raw.get_i32()),
        ValType::I64 => ruby.integer_from_i64(raw.get_i64()).as_value(),
        ValType::F32 => ruby.float_from_f64(f32::from_bits(raw.get_f32()) as f64).as_value(),
        ValType::F64 => ruby.float_from_f64(f64::from_bits(raw.get_f64())).as_value(),
        ValType::FuncRef | ValType::ExternRef => ruby.qnil().as_value(),
    }
}

/// `v` as a value of type `ty` for wasm in the store of `shared`. Always inlined: returning
/// the 32-byte result through memory costs store-forwarding stalls on the hot path.
#[inline(always)]
pub fn to_val(shared: &Arc<Shared>, v: Value, ty: ValType) -> Result<Val, ConvError> {
    match ty {
        ValType::I32 => to_i32(v).map(Val::I32),
        ValType::I64 => to_i64(v).map(Val::I64),
        ValType::F32 => to_f64(v).map(|f| Val::f32(f as f32)),
        ValType::F64 => to_f64(v).map(Val::f64),
        ValType::FuncRef => {
            if v.is_nil() {
                return Ok(Val::FuncRef(None));
            }
            match <&Function>::try_convert(v) {
                Ok(f) if Arc::ptr_eq(&f.shared, shared) => Ok(Val::FuncRef(Some(f.func.clone()))),
                _ => Err(ConvError::Type),
            }
        }
        ValType::ExternRef => {
            if v.is_nil() {
                Ok(Val::ExternRef(None))
            } else {
                Ok(Val::ExternRef(Some(shared.intern_extern(v))))
            }
        }
    }
}

/// A wasm value as a Ruby object.
#[inline(always)]
pub fn to_ruby(ruby: &Ruby, shared: &Arc<Shared>, v: &Val) -> Value {
    match *v {
        Val::I32(n) => i32_to_ruby(n),
        Val::I64(n) => ruby.integer_from_i64(n).as_value(),
        Val::F32(bits) => ruby.float_from_f64(f32::from_bits(bits) as f64).as_value(),
        Val::F64(bits) => ruby.float_from_f64(f64::from_bits(bits)).as_value(),
        Val::FuncRef(None) | Val::ExternRef(None) => ruby.qnil().as_value(),
        Val::FuncRef(Some(ref f)) => ruby.obj_wrap(Function::new(shared.clone(), f.clone(), None)).as_value(),
        Val::ExternRef(Some(index)) => shared.extern_value(ruby, index),
    }
}

/// The results of a call: nil for none, the value for one, an Array for several.
#[inline(always)]
pub fn results_to_ruby(ruby: &Ruby, shared: &Arc<Shared>, results: &[Val]) -> Value {
    match results {
        [] => ruby.qnil().as_value(),
        [one] => to_ruby(ruby, shared, one),
        many => {
            let ary = ruby.ary_new_capa(many.len());
            for v in many {
                // Pushing to a fresh Array cannot fail.
                let _ = ary.push(to_ruby(ruby, shared, v));
            }
            ary.as_value()
        }
    }
}
