//! Fixed-width SIMD: the `v128` operators of WebAssembly 2.0. Almost every one is a single
//! Cranelift instruction on the right lane type; the stack holds vectors as `i8x16`, so each
//! arm pops its operands as the lanes it works on (`pop_lanes`) and `push` turns the result
//! back. Loads and stores take their addresses from `heap`.

use super::{Result, Translator};
use cranelift_codegen::ir::{self, condcodes::FloatCC, condcodes::IntCC, types::*, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use wasmparser::{MemArg, Operator};

type Unary = fn(&mut FunctionBuilder, Value) -> Value;
type Binary = fn(&mut FunctionBuilder, Value, Value) -> Value;

impl Translator<'_, '_> {
    pub(super) fn translate_simd(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let value = match *op {
            // Memory.
            O::V128Load { memarg } => self.vector_load(&memarg, 16, |b, f, a, o| b.ins().load(I8X16, f, a, o)),
            O::V128Load8x8S { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().sload8x8(f, a, o)),
            O::V128Load8x8U { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().uload8x8(f, a, o)),
            O::V128Load16x4S { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().sload16x4(f, a, o)),
            O::V128Load16x4U { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().uload16x4(f, a, o)),
            O::V128Load32x2S { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().sload32x2(f, a, o)),
            O::V128Load32x2U { memarg } => self.vector_load(&memarg, 8, |b, f, a, o| b.ins().uload32x2(f, a, o)),
            O::V128Load8Splat { memarg } => self.splat_load(&memarg, I8X16),
            O::V128Load16Splat { memarg } => self.splat_load(&memarg, I16X8),
            O::V128Load32Splat { memarg } => self.splat_load(&memarg, I32X4),
            O::V128Load64Splat { memarg } => self.splat_load(&memarg, I64X2),
            O::V128Load32Zero { memarg } => self.zero_load(&memarg, I32X4),
            O::V128Load64Zero { memarg } => self.zero_load(&memarg, I64X2),
            O::V128Load8Lane { memarg, lane } => self.lane_load(&memarg, I8X16, lane),
            O::V128Load16Lane { memarg, lane } => self.lane_load(&memarg, I16X8, lane),
            O::V128Load32Lane { memarg, lane } => self.lane_load(&memarg, I32X4, lane),
            O::V128Load64Lane { memarg, lane } => self.lane_load(&memarg, I64X2, lane),
            O::V128Store { memarg } => {
                let v = self.pop();
                let index = self.pop();
                let (addr, offset, flags) = self.heap_access(&memarg, index, 16);
                self.b.ins().store(flags, v, addr, offset);
                return Ok(true);
            }
            O::V128Store8Lane { memarg, lane } => return self.lane_store(&memarg, I8X16, lane),
            O::V128Store16Lane { memarg, lane } => return self.lane_store(&memarg, I16X8, lane),
            O::V128Store32Lane { memarg, lane } => return self.lane_store(&memarg, I32X4, lane),
            O::V128Store64Lane { memarg, lane } => return self.lane_store(&memarg, I64X2, lane),

            // Constants, shuffles, lanes.
            O::V128Const { value } => {
                let bytes = value.bytes().to_vec();
                let constant = self.b.func.dfg.constants.insert(bytes.into());
                self.b.ins().vconst(I8X16, constant)
            }
            O::I8x16Shuffle { lanes } => {
                let (a, b) = self.pop2();
                self.shuffle(a, b, lanes)
            }
            O::I8x16Swizzle => self.lanes2(I8X16, |b, x, y| b.ins().swizzle(x, y)),
            O::I8x16Splat => self.splat(I8X16),
            O::I16x8Splat => self.splat(I16X8),
            O::I32x4Splat => self.splat(I32X4),
            O::I64x2Splat => self.splat(I64X2),
            O::F32x4Splat => self.splat(F32X4),
            O::F64x2Splat => self.splat(F64X2),
            O::I8x16ExtractLaneS { lane } => self.extract(I8X16, lane, Some(true)),
            O::I8x16ExtractLaneU { lane } => self.extract(I8X16, lane, Some(false)),
            O::I16x8ExtractLaneS { lane } => self.extract(I16X8, lane, Some(true)),
            O::I16x8ExtractLaneU { lane } => self.extract(I16X8, lane, Some(false)),
            O::I32x4ExtractLane { lane } => self.extract(I32X4, lane, None),
            O::I64x2ExtractLane { lane } => self.extract(I64X2, lane, None),
            O::F32x4ExtractLane { lane } => self.extract(F32X4, lane, None),
            O::F64x2ExtractLane { lane } => self.extract(F64X2, lane, None),
            O::I8x16ReplaceLane { lane } => self.replace(I8X16, lane),
            O::I16x8ReplaceLane { lane } => self.replace(I16X8, lane),
            O::I32x4ReplaceLane { lane } => self.replace(I32X4, lane),
            O::I64x2ReplaceLane { lane } => self.replace(I64X2, lane),
            O::F32x4ReplaceLane { lane } => self.replace(F32X4, lane),
            O::F64x2ReplaceLane { lane } => self.replace(F64X2, lane),

            // Comparisons: lane masks.
            O::I8x16Eq => self.lanes_icmp(I8X16, IntCC::Equal),
            O::I8x16Ne => self.lanes_icmp(I8X16, IntCC::NotEqual),
            O::I8x16LtS => self.lanes_icmp(I8X16, IntCC::SignedLessThan),
            O::I8x16LtU => self.lanes_icmp(I8X16, IntCC::UnsignedLessThan),
            O::I8x16GtS => self.lanes_icmp(I8X16, IntCC::SignedGreaterThan),
            O::I8x16GtU => self.lanes_icmp(I8X16, IntCC::UnsignedGreaterThan),
            O::I8x16LeS => self.lanes_icmp(I8X16, IntCC::SignedLessThanOrEqual),
            O::I8x16LeU => self.lanes_icmp(I8X16, IntCC::UnsignedLessThanOrEqual),
            O::I8x16GeS => self.lanes_icmp(I8X16, IntCC::SignedGreaterThanOrEqual),
            O::I8x16GeU => self.lanes_icmp(I8X16, IntCC::UnsignedGreaterThanOrEqual),
            O::I16x8Eq => self.lanes_icmp(I16X8, IntCC::Equal),
            O::I16x8Ne => self.lanes_icmp(I16X8, IntCC::NotEqual),
            O::I16x8LtS => self.lanes_icmp(I16X8, IntCC::SignedLessThan),
            O::I16x8LtU => self.lanes_icmp(I16X8, IntCC::UnsignedLessThan),
            O::I16x8GtS => self.lanes_icmp(I16X8, IntCC::SignedGreaterThan),
            O::I16x8GtU => self.lanes_icmp(I16X8, IntCC::UnsignedGreaterThan),
            O::I16x8LeS => self.lanes_icmp(I16X8, IntCC::SignedLessThanOrEqual),
            O::I16x8LeU => self.lanes_icmp(I16X8, IntCC::UnsignedLessThanOrEqual),
            O::I16x8GeS => self.lanes_icmp(I16X8, IntCC::SignedGreaterThanOrEqual),
            O::I16x8GeU => self.lanes_icmp(I16X8, IntCC::UnsignedGreaterThanOrEqual),
            O::I32x4Eq => self.lanes_icmp(I32X4, IntCC::Equal),
            O::I32x4Ne => self.lanes_icmp(I32X4, IntCC::NotEqual),
            O::I32x4LtS => self.lanes_icmp(I32X4, IntCC::SignedLessThan),
            O::I32x4LtU => self.lanes_icmp(I32X4, IntCC::UnsignedLessThan),
            O::I32x4GtS => self.lanes_icmp(I32X4, IntCC::SignedGreaterThan),
            O::I32x4GtU => self.lanes_icmp(I32X4, IntCC::UnsignedGreaterThan),
            O::I32x4LeS => self.lanes_icmp(I32X4, IntCC::SignedLessThanOrEqual),
            O::I32x4LeU => self.lanes_icmp(I32X4, IntCC::UnsignedLessThanOrEqual),
            O::I32x4GeS => self.lanes_icmp(I32X4, IntCC::SignedGreaterThanOrEqual),
            O::I32x4GeU => self.lanes_icmp(I32X4, IntCC::UnsignedGreaterThanOrEqual),
            O::I64x2Eq => self.lanes_icmp(I64X2, IntCC::Equal),
            O::I64x2Ne => self.lanes_icmp(I64X2, IntCC::NotEqual),
            O::I64x2LtS => self.lanes_icmp(I64X2, IntCC::SignedLessThan),
            O::I64x2GtS => self.lanes_icmp(I64X2, IntCC::SignedGreaterThan),
            O::I64x2LeS => self.lanes_icmp(I64X2, IntCC::SignedLessThanOrEqual),
            O::I64x2GeS => self.lanes_icmp(I64X2, IntCC::SignedGreaterThanOrEqual),
            O::F32x4Eq => self.lanes_fcmp(F32X4, FloatCC::Equal),
            O::F32x4Ne => self.lanes_fcmp(F32X4, FloatCC::NotEqual),
            O::F32x4Lt => self.lanes_fcmp(F32X4, FloatCC::LessThan),
            O::F32x4Gt => self.lanes_fcmp(F32X4, FloatCC::GreaterThan),
            O::F32x4Le => self.lanes_fcmp(F32X4, FloatCC::LessThanOrEqual),
            O::F32x4Ge => self.lanes_fcmp(F32X4, FloatCC::GreaterThanOrEqual),
            O::F64x2Eq => self.lanes_fcmp(F64X2, FloatCC::Equal),
            O::F64x2Ne => self.lanes_fcmp(F64X2, FloatCC::NotEqual),
            O::F64x2Lt => self.lanes_fcmp(F64X2, FloatCC::LessThan),
            O::F64x2Gt => self.lanes_fcmp(F64X2, FloatCC::GreaterThan),
            O::F64x2Le => self.lanes_fcmp(F64X2, FloatCC::LessThanOrEqual),
            O::F64x2Ge => self.lanes_fcmp(F64X2, FloatCC::GreaterThanOrEqual),

            // Bitwise.
            O::V128Not => self.lanes1(I8X16, |b, x| b.ins().bnot(x)),
            O::V128And => self.lanes2(I8X16, |b, x, y| b.ins().band(x, y)),
            O::V128AndNot => self.lanes2(I8X16, |b, x, y| b.ins().band_not(x, y)),
            O::V128Or => self.lanes2(I8X16, |b, x, y| b.ins().bor(x, y)),
            O::V128Xor => self.lanes2(I8X16, |b, x, y| b.ins().bxor(x, y)),
            O::V128Bitselect => {
                let (x, y, mask) = self.pop3();
                self.b.ins().bitselect(mask, x, y)
            }
            O::V128AnyTrue => self.reduce(I8X16, |b, x| b.ins().vany_true(x)),

            // Lane-wise integer arithmetic.
            O::I8x16AllTrue => self.reduce(I8X16, |b, x| b.ins().vall_true(x)),
            O::I16x8AllTrue => self.reduce(I16X8, |b, x| b.ins().vall_true(x)),
            O::I32x4AllTrue => self.reduce(I32X4, |b, x| b.ins().vall_true(x)),
            O::I64x2AllTrue => self.reduce(I64X2, |b, x| b.ins().vall_true(x)),
            O::I8x16Bitmask => self.reduce(I8X16, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I16x8Bitmask => self.reduce(I16X8, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I32x4Bitmask => self.reduce(I32X4, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I64x2Bitmask => self.reduce(I64X2, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I8x16Abs => self.lanes1(I8X16, |b, x| b.ins().iabs(x)),
            O::I16x8Abs => self.lanes1(I16X8, |b, x| b.ins().iabs(x)),
            O::I32x4Abs => self.lanes1(I32X4, |b, x| b.ins().iabs(x)),
            O::I64x2Abs => self.lanes1(I64X2, |b, x| b.ins().iabs(x)),
            O::I8x16Neg => self.lanes1(I8X16, |b, x| b.ins().ineg(x)),
            O::I16x8Neg => self.lanes1(I16X8, |b, x| b.ins().ineg(x)),
            O::I32x4Neg => self.lanes1(I32X4, |b, x| b.ins().ineg(x)),
            O::I64x2Neg => self.lanes1(I64X2, |b, x| b.ins().ineg(x)),
            O::I8x16Popcnt => self.lanes1(I8X16, |b, x| b.ins().popcnt(x)),
            O::I8x16Add => self.lanes2(I8X16, |b, x, y| b.ins().iadd(x, y)),
            O::I16x8Add => self.lanes2(I16X8, |b, x, y| b.ins().iadd(x, y)),
            O::I32x4Add => self.lanes2(I32X4, |b, x, y| b.ins().iadd(x, y)),
            O::I64x2Add => self.lanes2(I64X2, |b, x, y| b.ins().iadd(x, y)),
            O::I8x16Sub => self.lanes2(I8X16, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Sub => self.lanes2(I16X8, |b, x, y| b.ins().isub(x, y)),
            O::I32x4Sub => self.lanes2(I32X4, |b, x, y| b.ins().isub(x, y)),
            O::I64x2Sub => self.lanes2(I64X2, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Mul => self.lanes2(I16X8, |b, x, y| b.ins().imul(x, y)),
            O::I32x4Mul => self.lanes2(I32X4, |b, x, y| b.ins().imul(x, y)),
            O::I64x2Mul => self.lanes2(I64X2, |b, x, y| b.ins().imul(x, y)),
            O::I8x16AddSatS => self.lanes2(I8X16, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I8x16AddSatU => self.lanes2(I8X16, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I16x8AddSatS => self.lanes2(I16X8, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I16x8AddSatU => self.lanes2(I16X8, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I8x16SubSatS => self.lanes2(I8X16, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I8x16SubSatU => self.lanes2(I8X16, |b, x, y| b.ins().usub_sat(x, y)),
            O::I16x8SubSatS => self.lanes2(I16X8, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I16x8SubSatU => self.lanes2(I16X8, |b, x, y| b.ins().usub_sat(x, y)),
            O::I8x16MinS => self.lanes2(I8X16, |b, x, y| b.ins().smin(x, y)),
            O::I8x16MinU => self.lanes2(I8X16, |b, x, y| b.ins().umin(x, y)),
            O::I8x16MaxS => self.lanes2(I8X16, |b, x, y| b.ins().smax(x, y)),
            O::I8x16MaxU => self.lanes2(I8X16, |b, x, y| b.ins().umax(x, y)),
            O::I16x8MinS => self.lanes2(I16X8, |b, x, y| b.ins().smin(x, y)),
            O::I16x8MinU => self.lanes2(I16X8, |b, x, y| b.ins().umin(x, y)),
            O::I16x8MaxS => self.lanes2(I16X8, |b, x, y| b.ins().smax(x, y)),
            O::I16x8MaxU => self.lanes2(I16X8, |b, x, y| b.ins().umax(x, y)),
            O::I32x4MinS => self.lanes2(I32X4, |b, x, y| b.ins().smin(x, y)),
            O::I32x4MinU => self.lanes2(I32X4, |b, x, y| b.ins().umin(x, y)),
            O::I32x4MaxS => self.lanes2(I32X4, |b, x, y| b.ins().smax(x, y)),
            O::I32x4MaxU => self.lanes2(I32X4, |b, x, y| b.ins().umax(x, y)),
            O::I8x16AvgrU => self.lanes2(I8X16, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8AvgrU => self.lanes2(I16X8, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8Q15MulrSatS => self.lanes2(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y)),
            O::I32x4DotI16x8S => self.lanes2(I16X8, |b, x, y| {
                let low = mul_widened(b, x, y, |b, v| b.ins().swiden_low(v));
                let high = mul_widened(b, x, y, |b, v| b.ins().swiden_high(v));
                b.ins().iadd_pairwise(low, high)
            }),

            // Shifts: Cranelift masks a vector shift's amount by the lane width, as wasm does.
            O::I8x16Shl => self.shift(I8X16, |b, x, y| b.ins().ishl(x, y)),
            O::I16x8Shl => self.shift(I16X8, |b, x, y| b.ins().ishl(x, y)),
            O::I32x4Shl => self.shift(I32X4, |b, x, y| b.ins().ishl(x, y)),
            O::I64x2Shl => self.shift(I64X2, |b, x, y| b.ins().ishl(x, y)),
            O::I8x16ShrS => self.shift(I8X16, |b, x, y| b.ins().sshr(x, y)),
            O::I16x8ShrS => self.shift(I16X8, |b, x, y| b.ins().sshr(x, y)),
            O::I32x4ShrS => self.shift(I32X4, |b, x, y| b.ins().sshr(x, y)),
            O::I64x2ShrS => self.shift(I64X2, |b, x, y| b.ins().sshr(x, y)),
            O::I8x16ShrU => self.shift(I8X16, |b, x, y| b.ins().ushr(x, y)),
            O::I16x8ShrU => self.shift(I16X8, |b, x, y| b.ins().ushr(x, y)),
            O::I32x4ShrU => self.shift(I32X4, |b, x, y| b.ins().ushr(x, y)),
            O::I64x2ShrU => self.shift(I64X2, |b, x, y| b.ins().ushr(x, y)),

            // Widening and narrowing.
            O::I8x16NarrowI16x8S => self.lanes2(I16X8, |b, x, y| b.ins().snarrow(x, y)),
            O::I8x16NarrowI16x8U => self.lanes2(I16X8, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8NarrowI32x4S => self.lanes2(I32X4, |b, x, y| b.ins().snarrow(x, y)),
            O::I16x8NarrowI32x4U => self.lanes2(I32X4, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8ExtendLowI8x16S => self.lanes1(I8X16, |b, x| b.ins().swiden_low(x)),
            O::I16x8ExtendHighI8x16S => self.lanes1(I8X16, |b, x| b.ins().swiden_high(x)),
            O::I16x8ExtendLowI8x16U => self.lanes1(I8X16, |b, x| b.ins().uwiden_low(x)),
            O::I16x8ExtendHighI8x16U => self.lanes1(I8X16, |b, x| b.ins().uwiden_high(x)),
            O::I32x4ExtendLowI16x8S => self.lanes1(I16X8, |b, x| b.ins().swiden_low(x)),
            O::I32x4ExtendHighI16x8S => self.lanes1(I16X8, |b, x| b.ins().swiden_high(x)),
            O::I32x4ExtendLowI16x8U => self.lanes1(I16X8, |b, x| b.ins().uwiden_low(x)),
            O::I32x4ExtendHighI16x8U => self.lanes1(I16X8, |b, x| b.ins().uwiden_high(x)),
            O::I64x2ExtendLowI32x4S => self.lanes1(I32X4, |b, x| b.ins().swiden_low(x)),
            O::I64x2ExtendHighI32x4S => self.lanes1(I32X4, |b, x| b.ins().swiden_high(x)),
            O::I64x2ExtendLowI32x4U => self.lanes1(I32X4, |b, x| b.ins().uwiden_low(x)),
            O::I64x2ExtendHighI32x4U => self.lanes1(I32X4, |b, x| b.ins().uwiden_high(x)),
            O::I16x8ExtAddPairwiseI8x16S => self.lanes1(I8X16, |b, x| add_pairwise(b, x, true)),
            O::I16x8ExtAddPairwiseI8x16U => self.lanes1(I8X16, |b, x| add_pairwise(b, x, false)),
            O::I32x4ExtAddPairwiseI16x8S => self.lanes1(I16X8, |b, x| add_pairwise(b, x, true)),
            O::I32x4ExtAddPairwiseI16x8U => self.lanes1(I16X8, |b, x| add_pairwise(b, x, false)),
            O::I16x8ExtMulLowI8x16S | O::I32x4ExtMulLowI16x8S | O::I64x2ExtMulLowI32x4S => {
                self.extmul(op, |b, v| b.ins().swiden_low(v))
            }
            O::I16x8ExtMulHighI8x16S | O::I32x4ExtMulHighI16x8S | O::I64x2ExtMulHighI32x4S => {
                self.extmul(op, |b, v| b.ins().swiden_high(v))
            }
            O::I16x8ExtMulLowI8x16U | O::I32x4ExtMulLowI16x8U | O::I64x2ExtMulLowI32x4U => {
                self.extmul(op, |b, v| b.ins().uwiden_low(v))
            }
            O::I16x8ExtMulHighI8x16U | O::I32x4ExtMulHighI16x8U | O::I64x2ExtMulHighI32x4U => {
                self.extmul(op, |b, v| b.ins().uwiden_high(v))
            }

            // Floating point.
            O::F32x4Abs => self.lanes1(F32X4, |b, x| b.ins().fabs(x)),
            O::F64x2Abs => self.lanes1(F64X2, |b, x| b.ins().fabs(x)),
            O::F32x4Neg => self.lanes1(F32X4, |b, x| b.ins().fneg(x)),
            O::F64x2Neg => self.lanes1(F64X2, |b, x| b.ins().fneg(x)),
            O::F32x4Sqrt => self.lanes1(F32X4, |b, x| b.ins().sqrt(x)),
            O::F64x2Sqrt => self.lanes1(F64X2, |b, x| b.ins().sqrt(x)),
            O::F32x4Ceil => self.lanes1(F32X4, |b, x| b.ins().ceil(x)),
            O::F64x2Ceil => self.lanes1(F64X2, |b, x| b.ins().ceil(x)),
            O::F32x4Floor => self.lanes1(F32X4, |b, x| b.ins().floor(x)),
            O::F64x2Floor => self.lanes1(F64X2, |b, x| b.ins().floor(x)),
            O::F32x4Trunc => self.lanes1(F32X4, |b, x| b.ins().trunc(x)),
            O::F64x2Trunc => self.lanes1(F64X2, |b, x| b.ins().trunc(x)),
            O::F32x4Nearest => self.lanes1(F32X4, |b, x| b.ins().nearest(x)),
            O::F64x2Nearest => self.lanes1(F64X2, |b, x| b.ins().nearest(x)),
            O::F32x4Add => self.lanes2(F32X4, |b, x, y| b.ins().fadd(x, y)),
            O::F64x2Add => self.lanes2(F64X2, |b, x, y| b.ins().fadd(x, y)),
            O::F32x4Sub => self.lanes2(F32X4, |b, x, y| b.ins().fsub(x, y)),
            O::F64x2Sub => self.lanes2(F64X2, |b, x, y| b.ins().fsub(x, y)),
            O::F32x4Mul => self.lanes2(F32X4, |b, x, y| b.ins().fmul(x, y)),
            O::F64x2Mul => self.lanes2(F64X2, |b, x, y| b.ins().fmul(x, y)),
            O::F32x4Div => self.lanes2(F32X4, |b, x, y| b.ins().fdiv(x, y)),
            O::F64x2Div => self.lanes2(F64X2, |b, x, y| b.ins().fdiv(x, y)),
            O::F32x4Min => self.lanes2(F32X4, |b, x, y| b.ins().fmin(x, y)),
            O::F64x2Min => self.lanes2(F64X2, |b, x, y| b.ins().fmin(x, y)),
            O::F32x4Max => self.lanes2(F32X4, |b, x, y| b.ins().fmax(x, y)),
            O::F64x2Max => self.lanes2(F64X2, |b, x, y| b.ins().fmax(x, y)),
            // pmin(x, y) is `y < x ? y : x`, pmax(x, y) `x < y ? y : x`, lane by lane.
            O::F32x4PMin => self.lanes2(F32X4, pmin),
            O::F64x2PMin => self.lanes2(F64X2, pmin),
            O::F32x4PMax => self.lanes2(F32X4, pmax),
            O::F64x2PMax => self.lanes2(F64X2, pmax),

            // Conversions.
            O::I32x4TruncSatF32x4S => self.lanes1(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x)),
            O::I32x4TruncSatF32x4U => self.lanes1(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x)),
            O::I32x4TruncSatF64x2SZero => self.lanes1(F64X2, |b, x| {
                let wide = b.ins().fcvt_to_sint_sat(I64X2, x);
                let zero = zeros(b, I64X2);
                b.ins().snarrow(wide, zero)
            }),
            O::I32x4TruncSatF64x2UZero => self.lanes1(F64X2, |b, x| {
                let wide = b.ins().fcvt_to_uint_sat(I64X2, x);
                let zero = zeros(b, I64X2);
                b.ins().uunarrow(wide, zero)
            }),
            O::F32x4ConvertI32x4S => self.lanes1(I32X4, |b, x| b.ins().fcvt_from_sint(F32X4, x)),
            O::F32x4ConvertI32x4U => self.lanes1(I32X4, |b, x| b.ins().fcvt_from_uint(F32X4, x)),
            O::F64x2ConvertLowI32x4S => self.lanes1(I32X4, |b, x| {
                let wide = b.ins().swiden_low(x);
                b.ins().fcvt_from_sint(F64X2, wide)
            }),
            O::F64x2ConvertLowI32x4U => self.lanes1(I32X4, |b, x| {
                let wide = b.ins().uwiden_low(x);
                b.ins().fcvt_from_uint(F64X2, wide)
            }),
            O::F32x4DemoteF64x2Zero => self.lanes1(F64X2, |b, x| b.ins().fvdemote(x)),
            O::F64x2PromoteLowF32x4 => self.lanes1(F32X4, |b, x| b.ins().fvpromote_low(x)),
            _ => return Ok(false),
        };
        self.push(value);
        Ok(true)
    }

    fn lanes1(&mut self, ty: ir::Type, f: Unary) -> Value {
        let x = self.pop_lanes(ty);
        f(&mut self.b, x)
    }

    fn lanes2(&mut self, ty: ir::Type, f: Binary) -> Value {
        let y = self.pop_lanes(ty);
        let x = self.pop_lanes(ty);
        f(&mut self.b, x, y)
    }

    /// A vector to a scalar: the i8 answers of Cranelift's reductions become wasm's i32.
    fn reduce(&mut self, ty: ir::Type, f: Unary) -> Value {
        let x = self.pop_lanes(ty);
        let r = f(&mut self.b, x);
        if self.b.func.dfg.value_type(r) == I32 {
            r
        } else {
            self.b.ins().uextend(I32, r)
        }
    }

    fn shift(&mut self, ty: ir::Type, f: Binary) -> Value {
        let amount = self.pop();
        let x = self.pop_lanes(ty);
        f(&mut self.b, x, amount)
    }

    fn lanes_icmp(&mut self, ty: ir::Type, cc: IntCC) -> Value {
        let y = self.pop_lanes(ty);
        let x = self.pop_lanes(ty);
        self.b.ins().icmp(cc, x, y)
    }

    fn lanes_fcmp(&mut self, ty: ir::Type, cc: FloatCC) -> Value {
        let y = self.pop_lanes(ty);
        let x = self.pop_lanes(ty);
        self.b.ins().fcmp(cc, x, y)
    }

    /// The product of the halves `widen` takes of both operands, in lanes twice as wide.
    fn extmul(&mut self, op: &Operator<'_>, widen: Unary) -> Value {
        use Operator as O;
        let narrow = match op {
            O::I16x8ExtMulLowI8x16S | O::I16x8ExtMulHighI8x16S | O::I16x8ExtMulLowI8x16U | O::I16x8ExtMulHighI8x16U => I8X16,
            O::I32x4ExtMulLowI16x8S | O::I32x4ExtMulHighI16x8S | O::I32x4ExtMulLowI16x8U | O::I32x4ExtMulHighI16x8U => I16X8,
            _ => I32X4,
        };
        let y = self.pop_lanes(narrow);
        let x = self.pop_lanes(narrow);
        mul_widened(&mut self.b, x, y, widen)
    }

    fn splat(&mut self, ty: ir::Type) -> Value {
        let mut x = self.pop();
        if ty.lane_type().bits() < 32 {
            x = self.b.ins().ireduce(ty.lane_type(), x);
        }
        self.b.ins().splat(ty, x)
    }

    /// Lane `lane` of a vector of `ty`; `signed` says how a lane narrower than i32 extends.
    fn extract(&mut self, ty: ir::Type, lane: u8, signed: Option<bool>) -> Value {
        let v = self.pop_lanes(ty);
        let x = self.b.ins().extractlane(v, lane);
        match signed {
            Some(true) => self.b.ins().sextend(I32, x),
            Some(false) => self.b.ins().uextend(I32, x),
            None => x,
        }
    }

    fn replace(&mut self, ty: ir::Type, lane: u8) -> Value {
        let mut x = self.pop();
        let v = self.pop_lanes(ty);
        if ty.lane_type().bits() < 32 {
            x = self.b.ins().ireduce(ty.lane_type(), x);
        }
        self.b.ins().insertlane(v, x, lane)
    }

    /// A load of `size` bytes into a vector, by `load(builder, flags, address, offset)`.
    fn vector_load(
        &mut self,
        memarg: &MemArg,
        size: u32,
        load: fn(&mut FunctionBuilder, ir::MemFlagsData, Value, i32) -> Value,
    ) -> Value {
        let index = self.pop();
        let (addr, offset, flags) = self.heap_access(memarg, index, size);
        load(&mut self.b, flags, addr, offset)
    }

    /// One lane of `ty` loaded.
    fn scalar_load(&mut self, memarg: &MemArg, ty: ir::Type, index: Value) -> Value {
        let lane = ty.lane_type();
        let (addr, offset, flags) = self.heap_access(memarg, index, lane.bytes());
        self.b.ins().load(lane, flags, addr, offset)
    }

    fn splat_load(&mut self, memarg: &MemArg, ty: ir::Type) -> Value {
        let index = self.pop();
        let x = self.scalar_load(memarg, ty, index);
        self.b.ins().splat(ty, x)
    }

    fn zero_load(&mut self, memarg: &MemArg, ty: ir::Type) -> Value {
        let index = self.pop();
        let x = self.scalar_load(memarg, ty, index);
        self.b.ins().scalar_to_vector(ty, x)
    }

    fn lane_load(&mut self, memarg: &MemArg, ty: ir::Type, lane: u8) -> Value {
        let v = self.pop_lanes(ty);
        let index = self.pop();
        let x = self.scalar_load(memarg, ty, index);
        self.b.ins().insertlane(v, x, lane)
    }

    fn lane_store(&mut self, memarg: &MemArg, ty: ir::Type, lane: u8) -> Result<bool> {
        let v = self.pop_lanes(ty);
        let index = self.pop();
        let x = self.b.ins().extractlane(v, lane);
        let (addr, offset, flags) = self.heap_access(memarg, index, ty.lane_type().bytes());
        self.b.ins().store(flags, x, addr, offset);
        Ok(true)
    }
}

fn mul_widened(b: &mut FunctionBuilder, x: Value, y: Value, widen: Unary) -> Value {
    let x = widen(b, x);
    let y = widen(b, y);
    b.ins().imul(x, y)
}

fn add_pairwise(b: &mut FunctionBuilder, x: Value, signed: bool) -> Value {
    let (low, high) = if signed {
        (b.ins().swiden_low(x), b.ins().swiden_high(x))
    } else {
        (b.ins().uwiden_low(x), b.ins().uwiden_high(x))
    };
    b.ins().iadd_pairwise(low, high)
}

fn pmin(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let less = b.ins().fcmp(FloatCC::LessThan, y, x);
    b.ins().bitselect(less, y, x)
}

fn pmax(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let less = b.ins().fcmp(FloatCC::LessThan, x, y);
    b.ins().bitselect(less, y, x)
}

fn zeros(b: &mut FunctionBuilder, ty: ir::Type) -> Value {
    let constant = b.func.dfg.constants.insert(vec![0u8; 16].into());
    b.ins().vconst(ty, constant)
}
