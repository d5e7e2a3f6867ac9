//! Conversions between the scalar types: wrapping and extending integers, float to integer
//! (trapping and saturating), integer to float, float to float, reinterpretations and the
//! sign-extension operators.
//!
//! Cranelift's trapping `fcvt_to_sint`/`fcvt_to_uint` trap on NaN and on a result out of
//! range with the codes the runtime reads as wasm's "invalid conversion to integer" and
//! "integer overflow"; its `_sat` forms clamp and take NaN to 0, as wasm's `trunc_sat` do.

use super::{Result, Translator};
use cranelift_codegen::ir::{
    types::{F32, F64, I16, I32, I64, I8},
    InstBuilder, MemFlagsData, Type, Value,
};
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_conversions(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let value = match op {
            O::I32WrapI64 => self.unary(|b, x| b.ins().ireduce(I32, x)),
            O::I64ExtendI32S => self.unary(|b, x| b.ins().sextend(I64, x)),
            O::I64ExtendI32U => self.unary(|b, x| b.ins().uextend(I64, x)),

            O::I32TruncF32S | O::I32TruncF64S => self.unary(|b, x| b.ins().fcvt_to_sint(I32, x)),
            O::I32TruncF32U | O::I32TruncF64U => self.unary(|b, x| b.ins().fcvt_to_uint(I32, x)),
            O::I64TruncF32S | O::I64TruncF64S => self.unary(|b, x| b.ins().fcvt_to_sint(I64, x)),
            O::I64TruncF32U | O::I64TruncF64U => self.unary(|b, x| b.ins().fcvt_to_uint(I64, x)),
            O::I32TruncSatF32S | O::I32TruncSatF64S => self.unary(|b, x| b.ins().fcvt_to_sint_sat(I32, x)),
            O::I32TruncSatF32U | O::I32TruncSatF64U => self.unary(|b, x| b.ins().fcvt_to_uint_sat(I32, x)),
            O::I64TruncSatF32S | O::I64TruncSatF64S => self.unary(|b, x| b.ins().fcvt_to_sint_sat(I64, x)),
            O::I64TruncSatF32U | O::I64TruncSatF64U => self.unary(|b, x| b.ins().fcvt_to_uint_sat(I64, x)),

            O::F32ConvertI32S | O::F32ConvertI64S => self.unary(|b, x| b.ins().fcvt_from_sint(F32, x)),
            O::F32ConvertI32U | O::F32ConvertI64U => self.unary(|b, x| b.ins().fcvt_from_uint(F32, x)),
            O::F64ConvertI32S | O::F64ConvertI64S => self.unary(|b, x| b.ins().fcvt_from_sint(F64, x)),
            O::F64ConvertI32U | O::F64ConvertI64U => self.unary(|b, x| b.ins().fcvt_from_uint(F64, x)),
            O::F32DemoteF64 => self.unary(|b, x| b.ins().fdemote(F32, x)),
            O::F64PromoteF32 => self.unary(|b, x| b.ins().fpromote(F64, x)),

            O::I32ReinterpretF32 => self.reinterpret(I32),
            O::I64ReinterpretF64 => self.reinterpret(I64),
            O::F32ReinterpretI32 => self.reinterpret(F32),
            O::F64ReinterpretI64 => self.reinterpret(F64),

            O::I32Extend8S => self.extend_low(I8, I32),
            O::I32Extend16S => self.extend_low(I16, I32),
            O::I64Extend8S => self.extend_low(I8, I64),
            O::I64Extend16S => self.extend_low(I16, I64),
            O::I64Extend32S => self.extend_low(I32, I64),

            _ => return Ok(false),
        };
        self.push(value);
        Ok(true)
    }

    /// The top value's bits as a `to`. Scalars have no byte order to choose: no flags.
    fn reinterpret(&mut self, to: Type) -> Value {
        self.unary(|b, x| b.ins().bitcast(to, MemFlagsData::new(), x))
    }

    /// The top value's low `bits`-wide part, sign-extended back to `ty`.
    fn extend_low(&mut self, bits: Type, ty: Type) -> Value {
        self.unary(|b, x| {
            let low = b.ins().ireduce(bits, x);
            b.ins().sextend(ty, low)
        })
    }
}
