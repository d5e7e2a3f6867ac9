//! Functions compiled code calls that are not builtins: they take no vmctx.

/// The float rounding functions Cranelift calls on CPUs without SSE4.1. The compiler leaves
/// a relocation naming the function; loading the code resolves it here.
pub(crate) fn float_libcall(op: crate::artifact::FloatLibcall) -> usize {
    use crate::artifact::FloatLibcall as F;
    extern "C" fn ceil_f32(x: f32) -> f32 {
        x.ceil()
    }
    extern "C" fn ceil_f64(x: f64) -> f64 {
        x.ceil()
    }
    extern "C" fn floor_f32(x: f32) -> f32 {
        x.floor()
    }
    extern "C" fn floor_f64(x: f64) -> f64 {
        x.floor()
    }
    extern "C" fn trunc_f32(x: f32) -> f32 {
        x.trunc()
    }
    extern "C" fn trunc_f64(x: f64) -> f64 {
        x.trunc()
    }
    extern "C" fn nearest_f32(x: f32) -> f32 {
        x.round_ties_even()
    }
    extern "C" fn nearest_f64(x: f64) -> f64 {
        x.round_ties_even()
    }
    match op {
        F::CeilF32 => ceil_f32 as *const () as usize,
        F::CeilF64 => ceil_f64 as *const () as usize,
        F::FloorF32 => floor_f32 as *const () as usize,
        F::FloorF64 => floor_f64 as *const () as usize,
        F::TruncF32 => trunc_f32 as *const () as usize,
        F::TruncF64 => trunc_f64 as *const () as usize,
        F::NearestF32 => nearest_f32 as *const () as usize,
        F::NearestF64 => nearest_f64 as *const () as usize,
    }
}
