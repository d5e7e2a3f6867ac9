//! SIMD beyond the spec suite: shuffles with a zero vector, which the compiler rewrites into
//! widening instructions when they zero-extend lanes (compiler/shuffles.rs), must give what
//! the shuffle's definition gives, for every widening form and for masks that are none.

mod common;
use common::*;
use engine::*;

/// The shuffle's definition: byte `i` is byte `mask[i]` of `a ++ b`.
fn shuffle(a: u128, b: u128, mask: &[u8; 16]) -> u128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    u128::from_le_bytes(mask.map(|m| if m < 16 { a[m as usize] } else { b[m as usize - 16] }))
}

/// Masks of zero extensions from lanes of `from` bytes to `to` bytes, of each half (or
/// quarter, ...) of `x`, with `x` first or second and the zeros taken from varying lanes.
fn widening_masks() -> Vec<([u8; 16], bool)> {
    let mut masks = Vec::new();
    for (from, to) in [(1, 2), (2, 4), (4, 8), (1, 4), (2, 8), (1, 8)] {
        let out_lanes = 16 / to;
        for base in (0..16 / from).step_by(out_lanes) {
            for x_first in [true, false] {
                let (x_at, zero_at) = if x_first { (0, 16) } else { (16, 0) };
                let mut mask = [0u8; 16];
                for k in 0..out_lanes {
                    for byte in 0..to {
                        let i = k * to + byte;
                        mask[i] = if byte < from {
                            x_at + ((base + k) * from + byte) as u8
                        } else {
                            zero_at + ((i * 7 + base) % 16) as u8
                        };
                    }
                }
                masks.push((mask, x_first));
            }
        }
    }
    masks
}

#[test]
fn shuffles_with_zeros_match_their_definition() {
    let mut masks = widening_masks();
    assert_eq!(masks.len(), 2 * (8 + 4 + 2 + 4 + 2 + 2));
    // And masks that widen nothing: random bytes of both operands.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..64 {
        let mask = std::array::from_fn(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 32) as u8
        });
        masks.push((mask, i % 2 == 0));
    }
    let mut src = String::from("(module\n");
    for (n, (mask, x_first)) in masks.iter().enumerate() {
        let lanes: Vec<String> = mask.iter().map(|m| m.to_string()).collect();
        let (first, second) = if *x_first {
            ("local.get 0", "v128.const i64x2 0 0")
        } else {
            ("v128.const i64x2 0 0", "local.get 0")
        };
        src += &format!(
            "(func (export \"s{n}\") (param v128) (result v128) {first} {second} i8x16.shuffle {})\n",
            lanes.join(" ")
        );
    }
    src += ")";
    let store = Store::new(&engine());
    let instance = instantiate(&store, &src);
    let x = 0xf0e1_d2c3_b4a5_9687_7869_5a4b_3c2d_1e0fu128;
    for (n, (mask, x_first)) in masks.iter().enumerate() {
        let expected = if *x_first { shuffle(x, 0, mask) } else { shuffle(0, x, mask) };
        match call(&instance, &format!("s{n}"), &[Val::V128(x)]).unwrap()[..] {
            [Val::V128(got)] => assert_eq!(got, expected, "mask {mask:?}, x first: {x_first}"),
            ref other => panic!("s{n} returned {other:?}"),
        }
    }
}
