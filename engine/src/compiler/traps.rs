//! The trap codes compiled code is emitted with, and what each means to the runtime.
//! Cranelift reserves a few codes for its own lowerings (overflow, division, conversion,
//! heap accesses); the rest are ours.

use crate::artifact::TrapKind;
use crate::error::TrapCode;
use cranelift_codegen::ir;

pub(crate) const STACK_OVERFLOW: ir::TrapCode = ir::TrapCode::STACK_OVERFLOW;
pub(crate) const MEMORY_OUT_OF_BOUNDS: ir::TrapCode = ir::TrapCode::HEAP_OUT_OF_BOUNDS;
pub(crate) const INTEGER_OVERFLOW: ir::TrapCode = ir::TrapCode::INTEGER_OVERFLOW;
pub(crate) const INTEGER_DIVIDE_BY_ZERO: ir::TrapCode = ir::TrapCode::INTEGER_DIVISION_BY_ZERO;
pub(crate) const BAD_CONVERSION_TO_INTEGER: ir::TrapCode = ir::TrapCode::BAD_CONVERSION_TO_INTEGER;
pub(crate) const TABLE_OUT_OF_BOUNDS: ir::TrapCode = ir::TrapCode::unwrap_user(1);
pub(crate) const INDIRECT_CALL_TO_NULL: ir::TrapCode = ir::TrapCode::unwrap_user(2);
pub(crate) const BAD_SIGNATURE: ir::TrapCode = ir::TrapCode::unwrap_user(3);
pub(crate) const UNREACHABLE: ir::TrapCode = ir::TrapCode::unwrap_user(4);
pub(crate) const INTERRUPT: ir::TrapCode = ir::TrapCode::unwrap_user(5);
pub(crate) const OUT_OF_FUEL: ir::TrapCode = ir::TrapCode::unwrap_user(6);
/// A host trampoline's host function failed: the error is the host's, not a wasm trap.
pub(crate) const HOST_ERROR: ir::TrapCode = ir::TrapCode::unwrap_user(7);

const WASM: [(ir::TrapCode, TrapCode); 11] = [
    (STACK_OVERFLOW, TrapCode::StackOverflow),
    (MEMORY_OUT_OF_BOUNDS, TrapCode::MemoryOutOfBounds),
    (INTEGER_OVERFLOW, TrapCode::IntegerOverflow),
    (INTEGER_DIVIDE_BY_ZERO, TrapCode::IntegerDivideByZero),
    (BAD_CONVERSION_TO_INTEGER, TrapCode::BadConversionToInteger),
    (TABLE_OUT_OF_BOUNDS, TrapCode::TableOutOfBounds),
    (INDIRECT_CALL_TO_NULL, TrapCode::IndirectCallToNull),
    (BAD_SIGNATURE, TrapCode::BadSignature),
    (UNREACHABLE, TrapCode::Unreachable),
    (INTERRUPT, TrapCode::Interrupt),
    (OUT_OF_FUEL, TrapCode::OutOfFuel),
];

/// What a trap site with `code` means. Every code the compiler emits is one of the above.
pub(crate) fn kind(code: ir::TrapCode) -> Result<TrapKind, String> {
    if code == HOST_ERROR {
        return Ok(TrapKind::HostError);
    }
    WASM.iter()
        .find(|(c, _)| *c == code)
        .map(|&(_, t)| TrapKind::Wasm(t))
        .ok_or_else(|| format!("code generation produced the unknown trap code {code}"))
}
