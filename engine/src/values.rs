//! Values crossing between the embedder and wasm, and their raw slots.

use crate::func::Func;
use crate::store::StoreInner;
use crate::types::ValType;
use crate::vm::vmctx::ValRaw;
use std::sync::Arc;

/// A wasm value. Floats are kept as bits so that NaN payloads survive the crossing.
#[derive(Clone, Debug)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    /// The 16 bytes as they lie in memory, read as a little-endian number.
    V128(u128),
    FuncRef(Option<Func>),
    /// An opaque host value; the embedder gives it meaning. `u64::MAX` is not allowed.
    ExternRef(Option<u64>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    pub fn f32(v: f32) -> Val {
        Val::F32(v.to_bits())
    }

    pub fn f64(v: f64) -> Val {
        Val::F64(v.to_bits())
    }

    /// The zero value of a type: 0 or null.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The value as generated code holds it. The caller has checked that a funcref belongs
    /// to the store it is used in.
    pub(crate) fn to_raw(&self) -> ValRaw {
        match self {
            Val::I32(v) => ValRaw::i32(*v),
            Val::I64(v) => ValRaw::i64(*v),
            Val::F32(v) => ValRaw::f32(*v),
            Val::F64(v) => ValRaw::f64(*v),
            Val::V128(v) => ValRaw::v128(*v),
            Val::FuncRef(f) => ValRaw::word(f.as_ref().map_or(0, |f| f.raw as u64)),
            Val::ExternRef(e) => ValRaw::word(e.map_or(0, |e| e.wrapping_add(1))),
        }
    }

    /// # Safety
    /// `raw` must hold a value of type `ty`; a non-null funcref must point to a live funcref
    /// of `store`.
    pub(crate) unsafe fn from_raw(store: &Arc<StoreInner>, ty: ValType, raw: ValRaw) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw.get_i32()),
            ValType::I64 => Val::I64(raw.get_i64()),
            ValType::F32 => Val::F32(raw.get_f32()),
            ValType::F64 => Val::F64(raw.get_f64()),
            ValType::V128 => Val::V128(raw.get_v128()),
            ValType::FuncRef => Val::FuncRef((raw.get_word() != 0).then(|| {
                // SAFETY: the caller promises a live funcref of `store`.
                unsafe { Func::from_raw(store.clone(), raw.get_word() as usize as _) }
            })),
            ValType::ExternRef => {
                Val::ExternRef((raw.get_word() != 0).then(|| raw.get_word() - 1))
            }
        }
    }

    /// Checks that the value can be used in `store`: a funcref must come from it.
    pub(crate) fn usable_in(&self, store: &Arc<StoreInner>) -> bool {
        match self {
            Val::FuncRef(Some(f)) => crate::store::Store::same(&f.store, store),
            Val::ExternRef(Some(e)) => *e != u64::MAX,
            _ => true,
        }
    }
}
