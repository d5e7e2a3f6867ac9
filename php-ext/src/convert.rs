//! Converting PHP values to wasm values and back, by the rules of `engine::embed::convert`
//! (shared with Ruby): an int or a float is a number; null is a null reference, a
//! `Wasm\Func` a funcref, any other value an externref; anything else (bool, string, array,
//! object) for a number is a type error; a `v128` is a binary string of 16 bytes. Results:
//! i32/i64 → int (signed), f32/f64 → float, v128 → a 16-byte string, a funcref → a
//! `Wasm\Func`, an externref → the value given.

use engine::embed::convert::{self as rules, Mismatch};
use engine::embed::messages::{self, Place};
use engine::{Val, ValRaw, ValType};
use ext_php_rs::boxed::ZBox;
use crate::func::Func;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};

/// The value `z` as a wasm value of type `ty`, for wasm in `store`.
#[inline]
pub fn to_val(z: &Zval, ty: ValType, store: &engine::Store) -> Result<Val, Mismatch> {
    let z = z.dereference();
    if z.is_null() {
        return match ty {
            ValType::FuncRef => Ok(Val::FuncRef(None)),
            ValType::ExternRef => Ok(Val::ExternRef(None)),
            _ => Err(Mismatch::Type),
        };
    }
    if ty == ValType::ExternRef {
        return Ok(Val::ExternRef(Some(crate::store::intern_extern(z))));
    }
    if ty == ValType::FuncRef {
        return match z.object().and_then(ZendClassObject::<Func>::from_zend_obj) {
            Some(f) => {
                let v = Val::FuncRef(Some(f.func().clone()));
                rules::check_store(&v, store)?;
                Ok(v)
            }
            None => Err(Mismatch::Type),
        };
    }
    if ty == ValType::V128 {
        return match z.zend_str() {
            Some(s) => rules::bytes_to_v128(s.as_bytes()),
            None => Err(Mismatch::Type),
        };
    }
    to_raw(z, ty).map(|raw| rules::raw_to_val(raw, ty))
}

/// The value `z` as the raw slot of a wasm number of type `ty` (see `Func::call_raw`).
#[inline(always)]
pub fn to_raw(z: &Zval, ty: ValType) -> Result<ValRaw, Mismatch> {
    use ext_php_rs::ffi::{IS_DOUBLE, IS_LONG};
    let z = z.dereference();
    // SAFETY: every zval has a type tag; the union member read is the one the tag names.
    let tag = unsafe { z.u1.type_info } & 0xff;
    if tag == IS_LONG {
        // SAFETY: as above, an IS_LONG zval holds `lval`.
        rules::i64_to_raw(unsafe { z.value.lval }, ty)
    } else if tag == IS_DOUBLE {
        // SAFETY: as above, an IS_DOUBLE zval holds `dval`.
        rules::float_to_raw(unsafe { z.value.dval }, ty)
    } else {
        Err(Mismatch::Type)
    }
}

/// Writes the raw slot of a wasm number of type `ty` into `out` (as `set_zval`).
#[inline]
pub fn set_raw(raw: ValRaw, ty: ValType, out: &mut Zval) {
    use engine::embed::convert::Number;
    use ext_php_rs::ffi::{IS_DOUBLE, IS_LONG, IS_NULL};
    match rules::raw_to_number(raw, ty) {
        Some(Number::Int(v)) => {
            out.value.lval = v;
            out.u1.type_info = IS_LONG;
        }
        Some(Number::Float(v)) => {
            out.value.dval = v;
            out.u1.type_info = IS_DOUBLE;
        }
        None => out.u1.type_info = IS_NULL,
    }
}

/// Writes `v` into `out` as a PHP value. `out` must not hold a refcounted value (it is
/// overwritten, not released): a fresh zval or a return value slot.
#[inline]
pub fn set_zval(v: &Val, out: &mut Zval) {
    use ext_php_rs::ffi::IS_NULL;
    match *v {
        Val::I32(i) => set_raw(ValRaw::i32(i), ValType::I32, out),
        Val::I64(i) => set_raw(ValRaw::i64(i), ValType::I64, out),
        Val::F32(bits) => set_raw(ValRaw::f32(bits), ValType::F32, out),
        Val::F64(bits) => set_raw(ValRaw::f64(bits), ValType::F64, out),
        Val::V128(bits) => out.set_binary(rules::v128_to_bytes(bits).to_vec()),
        Val::ExternRef(Some(e)) => {
            // SAFETY: `out` holds nothing to release (see above), so overwriting it without
            // dropping loses nothing; it takes over the new reference.
            unsafe { std::ptr::write(out, crate::store::extern_value(e)) };
        }
        Val::FuncRef(Some(ref f)) => {
            // A registered class always converts.
            let _ = Func::new(f.clone(), None).set_zval(out, false);
        }
        Val::FuncRef(None) | Val::ExternRef(None) => out.u1.type_info = IS_NULL,
    }
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

/// The message for the value `z` that did not convert to `ty` at `place`.
#[cold]
pub fn mismatch_message(place: Place<'_>, ty: ValType, m: Mismatch, z: &Zval) -> String {
    messages::mismatch(place, ty, m, &type_name(z), z.dereference().long().unwrap_or(0))
}
