//! Converting PHP values to wasm values and back.
//!
//! PHP int → i32 accepts −2^31 … 2^32−1 (values above 2^31−1 are taken as unsigned bits),
//! int → i64, int or float → f32/f64, bool → i32/i64 as 0/1, null → a null reference.
//! Anything else is a type error. Results: i32/i64 → int (signed), f32/f64 → float.

use engine::{Val, ValRaw, ValType};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ZendHashTable, Zval};

pub const I32_MIN: i64 = i32::MIN as i64;
pub const I32_MAX: i64 = u32::MAX as i64;

/// Why a PHP value does not convert.
pub enum Mismatch {
    /// Not of a type that converts; carries the PHP type name of the value.
    Type(String),
    /// An int out of the i32 range.
    Range(i64),
}

/// The value `z` as a wasm value of type `ty`.
#[inline]
pub fn to_val(z: &Zval, ty: ValType) -> Result<Val, Mismatch> {
    let z = z.dereference();
    if let Some(v) = z.long() {
        return match ty {
            ValType::I32 if (I32_MIN..=I32_MAX).contains(&v) => Ok(Val::I32(v as i32)),
            ValType::I32 => Err(Mismatch::Range(v)),
            ValType::I64 => Ok(Val::I64(v)),
            ValType::F32 => Ok(Val::F32((v as f32).to_bits())),
            ValType::F64 => Ok(Val::F64((v as f64).to_bits())),
            _ => Err(Mismatch::Type(type_name(z))),
        };
    }
    if let Some(v) = z.double() {
        return match ty {
            ValType::F32 => Ok(Val::F32((v as f32).to_bits())),
            ValType::F64 => Ok(Val::F64(v.to_bits())),
            _ => Err(Mismatch::Type(type_name(z))),
        };
    }
    if let Some(b) = z.bool() {
        return match ty {
            ValType::I32 => Ok(Val::I32(b as i32)),
            ValType::I64 => Ok(Val::I64(b as i64)),
            _ => Err(Mismatch::Type(type_name(z))),
        };
    }
    if z.is_null() {
        return match ty {
            ValType::FuncRef => Ok(Val::FuncRef(None)),
            ValType::ExternRef => Ok(Val::ExternRef(None)),
            _ => Err(Mismatch::Type(type_name(z))),
        };
    }
    Err(Mismatch::Type(type_name(z)))
}

/// The value `z` as the raw slot of a wasm number of type `ty` (see `Func::call_raw`).
#[inline(always)]
pub fn to_raw(z: &Zval, ty: ValType) -> Result<ValRaw, Mismatch> {
    use ext_php_rs::ffi::{IS_DOUBLE, IS_LONG};
    let z = z.dereference();
    let tag = unsafe { z.u1.type_info } & 0xff;
    if tag == IS_LONG {
        let v = unsafe { z.value.lval };
        match ty {
            ValType::I32 if (I32_MIN..=I32_MAX).contains(&v) => return Ok(ValRaw::i32(v as u32 as i32)),
            ValType::I64 => return Ok(ValRaw::i64(v)),
            ValType::F64 => return Ok(ValRaw::f64((v as f64).to_bits())),
            _ => {}
        }
    } else if tag == IS_DOUBLE {
        let v = unsafe { z.value.dval };
        match ty {
            ValType::F64 => return Ok(ValRaw::f64(v.to_bits())),
            ValType::F32 => return Ok(ValRaw::f32((v as f32).to_bits())),
            _ => {}
        }
    }
    to_raw_slow(z, ty)
}

/// Everything but an int or a float of the expected type, errors included.
#[cold]
#[inline(never)]
fn to_raw_slow(z: &Zval, ty: ValType) -> Result<ValRaw, Mismatch> {
    to_val(z, ty).map(|v| match v {
        Val::I32(i) => ValRaw::i32(i),
        Val::I64(i) => ValRaw::i64(i),
        Val::F32(bits) => ValRaw::f32(bits),
        Val::F64(bits) => ValRaw::f64(bits),
        Val::FuncRef(_) | Val::ExternRef(_) => ValRaw::default(),
    })
}

/// The wasm number of type `ty` in a raw slot.
pub fn from_raw(raw: ValRaw, ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(raw.get_i32()),
        ValType::I64 => Val::I64(raw.get_i64()),
        ValType::F32 => Val::F32(raw.get_f32()),
        ValType::F64 => Val::F64(raw.get_f64()),
        ValType::FuncRef => Val::FuncRef(None),
        ValType::ExternRef => Val::ExternRef(None),
    }
}

/// Writes the raw slot of a wasm number of type `ty` into `out` (as `set_zval`).
#[inline]
pub fn set_raw(raw: ValRaw, ty: ValType, out: &mut Zval) {
    use ext_php_rs::ffi::{IS_DOUBLE, IS_LONG, IS_NULL};
    match ty {
        ValType::I32 => {
            out.value.lval = raw.get_i32() as i64;
            out.u1.type_info = IS_LONG;
        }
        ValType::I64 => {
            out.value.lval = raw.get_i64();
            out.u1.type_info = IS_LONG;
        }
        ValType::F32 => {
            out.value.dval = f32::from_bits(raw.get_f32()) as f64;
            out.u1.type_info = IS_DOUBLE;
        }
        ValType::F64 => {
            out.value.dval = f64::from_bits(raw.get_f64());
            out.u1.type_info = IS_DOUBLE;
        }
        ValType::FuncRef | ValType::ExternRef => out.u1.type_info = IS_NULL,
    }
}

/// Writes `v` into `out` as a PHP value. `out` must not hold a refcounted value (it is
/// overwritten, not released): a fresh zval or a return value slot.
#[inline]
pub fn set_zval(v: &Val, out: &mut Zval) {
    use ext_php_rs::ffi::{IS_DOUBLE, IS_LONG, IS_NULL};
    let (lval, dval, ty) = match *v {
        Val::I32(i) => (i as i64, 0.0, IS_LONG),
        Val::I64(i) => (i, 0.0, IS_LONG),
        Val::F32(bits) => (0, f32::from_bits(bits) as f64, IS_DOUBLE),
        Val::F64(bits) => (0, f64::from_bits(bits), IS_DOUBLE),
        Val::ExternRef(Some(e)) => (e as i64, 0.0, IS_LONG),
        Val::FuncRef(_) | Val::ExternRef(None) => (0, 0.0, IS_NULL),
    };
    if ty == IS_DOUBLE {
        out.value.dval = dval;
    } else {
        out.value.lval = lval;
    }
    out.u1.type_info = ty;
}

pub fn to_zval(v: &Val) -> Zval {
    let mut z = Zval::new();
    set_zval(v, &mut z);
    z
}

/// Results as PHP returns them: none → null, one → the value, several → a list.
pub fn set_results(results: &[Val], out: &mut Zval) {
    match results {
        [] => out.set_null(),
        [one] => set_zval(one, out),
        many => {
            let mut list: ZBox<ZendHashTable> = ZendHashTable::with_capacity(many.len() as u32);
            for v in many {
                let _ = list.push(to_zval(v));
            }
            out.set_hashtable(list);
        }
    }
}

/// The type of a PHP value as PHP's own messages name it.
pub fn type_name(z: &Zval) -> String {
    let z = z.dereference();
    if z.is_null() {
        "null".into()
    } else if z.is_bool() {
        "bool".into()
    } else if z.is_long() {
        "int".into()
    } else if z.is_double() {
        "float".into()
    } else if z.is_string() {
        "string".into()
    } else if z.is_array() {
        "array".into()
    } else if let Some(obj) = z.object() {
        obj.get_class_name().unwrap_or_else(|_| "object".into())
    } else if z.is_resource() {
        "resource".into()
    } else {
        "mixed".into()
    }
}

/// The message for a value that does not convert, in PHP's wording:
/// `sum(): Argument #1 must be of type i32, string given`.
#[cold]
pub fn argument_message(function: &str, position: usize, ty: ValType, m: &Mismatch) -> String {
    match m {
        Mismatch::Type(given) => {
            format!("{function}(): Argument #{position} must be of type {ty}, {given} given")
        }
        Mismatch::Range(v) => format!(
            "{function}(): Argument #{position} must be between {I32_MIN} and {I32_MAX} to fit in {ty}, {v} given"
        ),
    }
}
