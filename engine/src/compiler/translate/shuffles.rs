//! Byte shuffles that zero-extend lanes, translated as widening instructions.
//!
//! LLVM 14 and older compile a zero extension of vector lanes (`(u16)pixels[x]` in a
//! vectorised loop) to an `i8x16.shuffle` with a zero vector, taking the zero bytes from
//! whatever lanes of it. Cranelift matches only the exact interleaving masks, so on x86-64
//! such a shuffle becomes two `pshufb` and a `por` with two masks loaded from memory, where
//! `uwiden_low` / `uwiden_high` are one instruction each. On `examples/blur.c` built by clang 14
//! the rewrite makes the SIMD build about twice as fast (`make bench`, blur).

use super::Translator;
use cranelift_codegen::ir::{self, types::*, InstBuilder, InstructionData, MemFlagsData, Opcode, Value};

impl Translator<'_, '_> {
    /// `i8x16.shuffle` of `a` and `b`: the widenings that do the same when it zero-extends
    /// lanes of one operand with the other one zeros.
    pub(super) fn shuffle(&mut self, a: Value, b: Value, lanes: [u8; 16]) -> Value {
        let func = &self.b.func;
        let widened = match (is_zero(func, a), is_zero(func, b)) {
            (false, true) => widening(&lanes, true).map(|w| (a, w)),
            (true, false) => widening(&lanes, false).map(|w| (b, w)),
            _ => None,
        };
        let Some((x, (lane, steps))) = widened else {
            let mask = self.b.func.dfg.immediates.push(lanes.to_vec().into());
            return self.b.ins().shuffle(a, b, mask);
        };
        let little = MemFlagsData::new().with_endianness(ir::Endianness::Little);
        let mut v = x;
        if lane != I8X16 {
            v = self.b.ins().bitcast(lane, little, v);
        }
        for high in steps {
            v = if high { self.b.ins().uwiden_high(v) } else { self.b.ins().uwiden_low(v) };
        }
        self.b.ins().bitcast(I8X16, little, v)
    }
}

/// Whether `v` is a vector constant of zeros, possibly seen through bitcasts.
fn is_zero(func: &ir::Function, v: Value) -> bool {
    let ir::ValueDef::Result(def, _) = func.dfg.value_def(func.dfg.resolve_aliases(v)) else {
        return false;
    };
    match func.dfg.insts[def] {
        InstructionData::UnaryConst { opcode: Opcode::Vconst, constant_handle } => {
            func.dfg.constants.get(constant_handle).as_slice().iter().all(|&b| b == 0)
        }
        InstructionData::LoadNoOffset { opcode: Opcode::Bitcast, arg, .. } => is_zero(func, arg),
        _ => false,
    }
}

/// If `mask` zero-extends lanes of `x` (the first shuffle operand when `x_first`, the other one
/// being zeros): the type of `x`'s lanes, and the widenings that do the same, in order
/// (`true` for `uwiden_high`).
///
/// Output lane `k` of `to` bytes must hold source lane `base + k` of `from` bytes in its low
/// bytes, in order, and zeros above; `base` is a whole number of output vectors' worth of
/// lanes, so each widening step takes a low or a high half.
fn widening(mask: &[u8; 16], x_first: bool) -> Option<(ir::Type, Vec<bool>)> {
    let from_x = |i: usize| (mask[i] < 16) == x_first;
    let x_byte = |i: usize| mask[i] as usize % 16;
    for (from, to) in [(1, 2), (2, 4), (4, 8), (1, 4), (2, 8), (1, 8)] {
        let out_lanes = 16 / to;
        'base: for base in (0..16 / from).step_by(out_lanes) {
            for k in 0..out_lanes {
                for byte in 0..to {
                    let i = k * to + byte;
                    let ok = if byte < from {
                        from_x(i) && x_byte(i) == (base + k) * from + byte
                    } else {
                        !from_x(i)
                    };
                    if !ok {
                        continue 'base;
                    }
                }
            }
            // Each step halves the vector's lane count and keeps one half of the lanes.
            let (mut size, mut offset, mut steps) = (from, base, Vec::new());
            while size < to {
                let half = 8 / size;
                steps.push(offset >= half);
                offset %= half;
                size *= 2;
            }
            let lane = match from {
                1 => I8X16,
                2 => I16X8,
                _ => I32X4,
            };
            return Some((lane, steps));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::widening;

    /// The mask of a shuffle of (`x`, zeros) or (zeros, `x`) with these sources per byte:
    /// `Some(i)` byte `i` of `x`, `None` a zero byte (taken from lane `z` of the zeros).
    fn mask(bytes: [Option<u8>; 16], x_first: bool, z: u8) -> [u8; 16] {
        let (x_at, zero_at) = if x_first { (0, 16) } else { (16, 0) };
        bytes.map(|b| b.map_or(zero_at + z, |i| x_at + i))
    }

    fn zext(from: usize, to: usize, base: usize) -> [Option<u8>; 16] {
        let mut bytes = [None; 16];
        for k in 0..16 / to {
            for b in 0..from {
                bytes[k * to + b] = Some(((base + k) * from + b) as u8);
            }
        }
        bytes
    }

    #[test]
    fn zero_extensions_are_found() {
        use cranelift_codegen::ir::types::*;
        // What clang 14 emits for (u16) of the low and high bytes, zeros first.
        let low = [16, 1, 17, 3, 18, 5, 19, 7, 20, 9, 21, 11, 22, 13, 23, 15];
        assert_eq!(widening(&low, false), Some((I8X16, vec![false])));
        let high = [8, 17, 9, 19, 10, 21, 11, 23, 12, 25, 13, 27, 14, 29, 15, 31];
        assert_eq!(widening(&high, true), Some((I8X16, vec![true])));
        for x_first in [true, false] {
            assert_eq!(widening(&mask(zext(2, 4, 4), x_first, 3), x_first), Some((I16X8, vec![true])));
            assert_eq!(widening(&mask(zext(1, 4, 8), x_first, 0), x_first), Some((I8X16, vec![true, false])));
            assert_eq!(widening(&mask(zext(1, 8, 2), x_first, 9), x_first), Some((I8X16, vec![false, false, true])));
            assert_eq!(widening(&mask(zext(4, 8, 2), x_first, 5), x_first), Some((I32X4, vec![true])));
        }
    }

    #[test]
    fn other_shuffles_are_left_alone() {
        // Lanes out of order, a byte of x where a zero belongs, a half that is not one.
        let mut swapped = zext(1, 2, 0);
        swapped.swap(0, 2);
        assert_eq!(widening(&mask(swapped, true, 0), true), None);
        let mut dirty = zext(1, 2, 0);
        dirty[1] = Some(1);
        assert_eq!(widening(&mask(dirty, true, 0), true), None);
        assert_eq!(widening(&mask(zext(1, 2, 4), true, 0), true), None);
        // The identity of x is no widening.
        assert_eq!(widening(&core::array::from_fn(|i| i as u8), true), None);
    }
}
