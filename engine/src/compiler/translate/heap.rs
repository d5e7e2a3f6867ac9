//! Linear memory addresses: the one place that turns a wasm address into a machine address,
//! in each memory mode (see `vm::memory::MemoryMode`).
//!
//! - Static: every memory reserves `STATIC_BOUND` bytes plus a `STATIC_GUARD` region, of
//!   which only the memory's pages are accessible. A 32-bit index plus an offset below the
//!   guard's size lands in the reservation, and outside the memory the access faults, which
//!   the runtime raises as `memory_out_of_bounds`: no code at all checks it. An offset too
//!   large for the guard is checked against the length.
//! - Dynamic: memories reserve only what they hold; every access is checked in full, its
//!   size included, so none relies on a guard region (a fault there is what valgrind, one
//!   reason for this mode, reports).
//!
//! Memories are 32-bit today: 64-bit ones (memory64) add their case here and nowhere else.

use super::Translator;
use crate::compiler::traps;
use crate::vm::memory::{MemoryMode, STATIC_BOUND, STATIC_GUARD};
use crate::vm::vmctx::{MEMORY_BASE, MEMORY_LENGTH};
use cranelift_codegen::ir::{condcodes::IntCC, types::*, InstBuilder, MemFlagsData, Value};
use wasmparser::{MemArg, MemArgTarget};

impl Translator<'_, '_> {
    /// The address of an access of `size` bytes at the wasm address `index` plus the
    /// offset of `memarg`, as a base and the immediate offset to access it with, and the
    /// flags of the access: little-endian, trapping with `memory_out_of_bounds`.
    pub fn heap_access(&mut self, memarg: &MemArg, index: Value, size: u32) -> (Value, i32, MemFlagsData) {
        let MemArgTarget::Memory(memory) = memarg.target else {
            unreachable!("GC arrays are not enabled")
        };
        let flags = MemFlagsData::new()
            .with_endianness(cranelift_codegen::ir::Endianness::Little)
            .with_trap_code(Some(traps::MEMORY_OUT_OF_BOUNDS));
        let vm_memory = self.vmctx_field(self.env.offsets.memory(memory));
        let index = self.b.ins().uextend(I64, index);
        let end = memarg.offset + u64::from(size);
        // The reservation covers `STATIC_BOUND` (all 32-bit indexes) plus the guard.
        const _: () = assert!(STATIC_BOUND as u64 == 1 << 32);
        let checked = match self.env.memory_mode {
            MemoryMode::Static => end > STATIC_GUARD as u64,
            MemoryMode::Dynamic => true,
        };
        if checked {
            let length = self.b.ins().load(I64, MemFlagsData::trusted(), vm_memory, MEMORY_LENGTH);
            // A 32-bit index plus a 32-bit offset and the size cannot overflow 64 bits.
            let last = self.b.ins().iadd_imm_s(index, end as i64);
            let out = self.b.ins().icmp(IntCC::UnsignedGreaterThan, last, length);
            self.b.ins().trapnz(out, traps::MEMORY_OUT_OF_BOUNDS);
        }
        let base = self.memory_base(vm_memory);
        let addr = self.b.ins().iadd(base, index);
        match i32::try_from(memarg.offset) {
            Ok(offset) => (addr, offset, flags),
            Err(_) => (self.b.ins().iadd_imm_s(addr, memarg.offset as i64), 0, flags),
        }
    }

    /// The base address of the memory whose `VMMemory` is at `vm_memory`. A static memory
    /// never moves, so its base may be loaded once per function; a dynamic one moves when
    /// it grows, which any call may do.
    fn memory_base(&mut self, vm_memory: Value) -> Value {
        let flags = match self.env.memory_mode {
            MemoryMode::Static => super::env::readonly(),
            MemoryMode::Dynamic => MemFlagsData::trusted(),
        };
        self.b.ins().load(I64, flags, vm_memory, MEMORY_BASE)
    }
}
