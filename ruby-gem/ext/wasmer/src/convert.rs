//! Ruby objects to wasm values and back, by the rules of `engine::embed::convert` (shared with
//! PHP): an Integer or a Float is a number; a `Wasmer::Function` of the same instance or nil
//! is a funcref; any object or nil is an externref; anything else is a TypeError, an Integer
//! out of range a RangeError. Results: i32/i64 → Integer (signed), f32/f64 → Float.

use crate::errors::mismatch_error;
use crate::function::Function;
use crate::store::Shared;
use engine::embed::convert::{self as rules, Mismatch, Number};
use engine::embed::messages::Place;
use engine::{Val, ValRaw, ValType};
use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, Float, Integer, RString, Ruby, Value,
};
use std::sync::Arc;

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
    // SAFETY: a Fixnum is the integer shifted left by one with the low bit set; every i32
    // fits, and such a VALUE needs no GC protection.
    unsafe { Value::from_raw((((n as i64) << 1) | 1) as rb_sys::VALUE) }
}

/// An Integer as an i128; a Bignum beyond the i128 range saturates (it is outside every
/// range we check anyway). `None` for anything but an Integer.
#[inline]
fn integer(v: Value) -> Option<i128> {
    if let Some(n) = fixnum(v) {
        return Some(n as i128);
    }
    let i = Integer::from_value(v)?;
    Some(i.to_i128().unwrap_or_else(|_| {
        // SAFETY: `i` is a live Bignum (every Fixnum fits in an i128).
        let positive = unsafe { rb_sys::rb_big_sign(i.as_raw()) } != 0;
        if positive {
            i128::MAX
        } else {
            i128::MIN
        }
    }))
}

/// An Integer in `min..=max`: the error is `Range` or `Type`.
#[inline]
pub fn integer_in(v: Value, min: i128, max: i128) -> Result<i128, Mismatch> {
    match integer(v) {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        Some(_) => Err(Mismatch::Range),
        None => Err(Mismatch::Type),
    }
}

/// An Integer or a Float as a float.
#[inline]
pub fn to_f64(v: Value) -> Result<f64, Mismatch> {
    if let Some(f) = Float::from_value(v) {
        return Ok(f.to_f64());
    }
    if let Some(n) = fixnum(v) {
        return Ok(n as f64);
    }
    match Integer::from_value(v) {
        // SAFETY: `i` is a live Bignum on our stack.
        Some(i) => Ok(unsafe { rb_sys::rb_big2dbl(i.as_raw()) }),
        None => Err(Mismatch::Type),
    }
}

/// `v` as the raw slot of a numeric type, for `Func::call_raw`.
#[inline(always)]
pub fn to_raw(v: Value, ty: ValType) -> Result<ValRaw, Mismatch> {
    if let Some(n) = fixnum(v) {
        return rules::i64_to_raw(n, ty);
    }
    match ty {
        ValType::F32 | ValType::F64 => rules::float_to_raw(to_f64(v)?, ty),
        _ => match integer(v) {
            Some(n) => rules::int_to_raw(n, ty),
            None => Err(Mismatch::Type),
        },
    }
}

/// The Ruby object for a raw result slot of a numeric type.
#[inline(always)]
pub fn raw_to_ruby(ruby: &Ruby, ty: ValType, raw: ValRaw) -> Value {
    if ty == ValType::I32 {
        return i32_to_ruby(raw.get_i32());
    }
    match rules::raw_to_number(raw, ty) {
        Some(Number::Int(n)) => ruby.integer_from_i64(n).as_value(),
        Some(Number::Float(f)) => ruby.float_from_f64(f).as_value(),
        None => ruby.qnil().as_value(),
    }
}

/// `v` as a value of type `ty` for wasm in the store of `shared`. Always inlined: returning
/// the 32-byte result through memory costs store-forwarding stalls on the hot path.
#[inline(always)]
pub fn to_val(shared: &Arc<Shared>, v: Value, ty: ValType) -> Result<Val, Mismatch> {
    match ty {
        ValType::FuncRef => {
            if v.is_nil() {
                return Ok(Val::FuncRef(None));
            }
            match <&Function>::try_convert(v) {
                Ok(f) if Arc::ptr_eq(&f.shared, shared) => Ok(Val::FuncRef(Some(f.plan.func.clone()))),
                // A function of another instance of the same store is refused too: nothing
                // here would keep that instance's Ruby callables alive.
                Ok(f) => {
                    if let Some(store) = shared.store.upgrade() {
                        rules::check_store(&Val::FuncRef(Some(f.plan.func.clone())), &store)?;
                    }
                    Err(Mismatch::Type)
                }
                Err(_) => Err(Mismatch::Type),
            }
        }
        ValType::ExternRef => {
            if v.is_nil() {
                Ok(Val::ExternRef(None))
            } else {
                Ok(Val::ExternRef(Some(shared.intern_extern(v))))
            }
        }
        ValType::V128 => match RString::from_value(v) {
            // SAFETY: the bytes are copied before any Ruby code can run.
            Some(s) => rules::bytes_to_v128(unsafe { s.as_slice() }),
            None => Err(Mismatch::Type),
        },
        _ => to_raw(v, ty).map(|raw| rules::raw_to_val(raw, ty)),
    }
}

/// [`to_val`], with the exception for a value that does not convert.
#[inline(always)]
pub fn to_val_at(ruby: &Ruby, shared: &Arc<Shared>, place: Place<'_>, v: Value, ty: ValType) -> Result<Val, Error> {
    to_val(shared, v, ty).map_err(|m| mismatch_error(ruby, place, ty, m, v))
}

/// A wasm value as a Ruby object.
#[inline(always)]
pub fn to_ruby(ruby: &Ruby, shared: &Arc<Shared>, v: &Val) -> Value {
    match *v {
        Val::I32(n) => i32_to_ruby(n),
        Val::I64(n) => ruby.integer_from_i64(n).as_value(),
        Val::F32(bits) => ruby.float_from_f64(f32::from_bits(bits) as f64).as_value(),
        Val::F64(bits) => ruby.float_from_f64(f64::from_bits(bits)).as_value(),
        Val::V128(bits) => ruby.str_from_slice(&rules::v128_to_bytes(bits)).as_value(),
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

/// The name messages give the type of `v`: its class, or `nil`, `true`, `false`.
pub fn type_name(v: Value) -> String {
    if v.is_nil() {
        "nil".into()
    } else if v.as_raw() == rb_sys::Qtrue as rb_sys::VALUE {
        "true".into()
    } else if v.as_raw() == rb_sys::Qfalse as rb_sys::VALUE {
        "false".into()
    } else {
        // SAFETY: `v` is a live object on our stack; the class name is copied at once.
        unsafe { v.classname() }.into_owned()
    }
}
