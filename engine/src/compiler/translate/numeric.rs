//! Numeric operators on scalars: constants, integer and float arithmetic, bitwise
//! operators, shifts and rotates, tests and comparisons.
//!
//! Most are one Cranelift instruction, because Cranelift's semantics were made to match
//! wasm's: shifts and rotates take their count modulo the width, `sdiv`/`udiv`/`srem`/`urem`
//! trap on a zero divisor (and `sdiv` on overflow) with the codes the runtime reads as wasm's
//! traps, `srem` of the least integer by -1 is 0, and `fmin`/`fmax` propagate NaN and order
//! -0 below +0.

use super::{Result, Translator};
use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    immediates::{Ieee32, Ieee64},
    types::{I32, I64},
    InstBuilder, Value,
};
use cranelift_frontend::FunctionBuilder;
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_numeric(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let value = match op {
            // An `iconst` immediate must be zero above its type's width.
            O::I32Const { value } => self.b.ins().iconst(I32, i64::from(value.cast_unsigned())),
            O::I64Const { value } => self.b.ins().iconst(I64, *value),
            // From the bits, so that a NaN keeps its payload.
            O::F32Const { value } => self.b.ins().f32const(Ieee32::with_bits(value.bits())),
            O::F64Const { value } => self.b.ins().f64const(Ieee64::with_bits(value.bits())),

            O::I32Eqz | O::I64Eqz => {
                let x = self.pop();
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
                self.b.ins().uextend(I32, zero)
            }
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal),
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual),
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan),
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan),
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan),
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan),
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual),
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual),
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual),
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual),

            // Wasm's comparisons are ordered, but for `ne`, which is true when either is NaN.
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal),
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual),
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan),
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan),
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual),
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual),

            O::I32Clz | O::I64Clz => self.unary(|b, x| b.ins().clz(x)),
            O::I32Ctz | O::I64Ctz => self.unary(|b, x| b.ins().ctz(x)),
            O::I32Popcnt | O::I64Popcnt => self.unary(|b, x| b.ins().popcnt(x)),
            O::I32Add | O::I64Add => self.binary(|b, x, y| b.ins().iadd(x, y)),
            O::I32Sub | O::I64Sub => self.binary(|b, x, y| b.ins().isub(x, y)),
            O::I32Mul | O::I64Mul => self.binary(|b, x, y| b.ins().imul(x, y)),
            O::I32DivS | O::I64DivS => self.binary(|b, x, y| b.ins().sdiv(x, y)),
            O::I32DivU | O::I64DivU => self.binary(|b, x, y| b.ins().udiv(x, y)),
            O::I32RemS | O::I64RemS => self.binary(|b, x, y| b.ins().srem(x, y)),
            O::I32RemU | O::I64RemU => self.binary(|b, x, y| b.ins().urem(x, y)),
            O::I32And | O::I64And => self.binary(|b, x, y| b.ins().band(x, y)),
            O::I32Or | O::I64Or => self.binary(|b, x, y| b.ins().bor(x, y)),
            O::I32Xor | O::I64Xor => self.binary(|b, x, y| b.ins().bxor(x, y)),
            O::I32Shl | O::I64Shl => self.binary(|b, x, y| b.ins().ishl(x, y)),
            O::I32ShrS | O::I64ShrS => self.binary(|b, x, y| b.ins().sshr(x, y)),
            O::I32ShrU | O::I64ShrU => self.binary(|b, x, y| b.ins().ushr(x, y)),
            O::I32Rotl | O::I64Rotl => self.binary(|b, x, y| b.ins().rotl(x, y)),
            O::I32Rotr | O::I64Rotr => self.binary(|b, x, y| b.ins().rotr(x, y)),

            O::F32Abs | O::F64Abs => self.unary(|b, x| b.ins().fabs(x)),
            O::F32Neg | O::F64Neg => self.unary(|b, x| b.ins().fneg(x)),
            O::F32Ceil | O::F64Ceil => self.unary(|b, x| b.ins().ceil(x)),
            O::F32Floor | O::F64Floor => self.unary(|b, x| b.ins().floor(x)),
            O::F32Trunc | O::F64Trunc => self.unary(|b, x| b.ins().trunc(x)),
            O::F32Nearest | O::F64Nearest => self.unary(|b, x| b.ins().nearest(x)),
            O::F32Sqrt | O::F64Sqrt => self.unary(|b, x| b.ins().sqrt(x)),
            O::F32Add | O::F64Add => self.binary(|b, x, y| b.ins().fadd(x, y)),
            O::F32Sub | O::F64Sub => self.binary(|b, x, y| b.ins().fsub(x, y)),
            O::F32Mul | O::F64Mul => self.binary(|b, x, y| b.ins().fmul(x, y)),
            O::F32Div | O::F64Div => self.binary(|b, x, y| b.ins().fdiv(x, y)),
            O::F32Min | O::F64Min => self.binary(|b, x, y| b.ins().fmin(x, y)),
            O::F32Max | O::F64Max => self.binary(|b, x, y| b.ins().fmax(x, y)),
            O::F32Copysign | O::F64Copysign => self.binary(|b, x, y| b.ins().fcopysign(x, y)),

            _ => return Ok(false),
        };
        self.push(value);
        Ok(true)
    }

    /// The top value, lowered by `lower`.
    pub(super) fn unary(&mut self, lower: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) -> Value {
        let x = self.pop();
        lower(&mut self.b, x)
    }

    /// The top two values, deepest first, lowered by `lower`.
    fn binary(&mut self, lower: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value) -> Value {
        let (x, y) = self.pop2();
        lower(&mut self.b, x, y)
    }

    /// Wasm's comparisons give an `i32` where Cranelift's give an `i8`.
    fn icmp(&mut self, cc: IntCC) -> Value {
        let (x, y) = self.pop2();
        let bit = self.b.ins().icmp(cc, x, y);
        self.b.ins().uextend(I32, bit)
    }

    fn fcmp(&mut self, cc: FloatCC) -> Value {
        let (x, y) = self.pop2();
        let bit = self.b.ins().fcmp(cc, x, y);
        self.b.ins().uextend(I32, bit)
    }
}
