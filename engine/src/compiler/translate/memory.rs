//! Scalar loads and stores, `memory.size` and `memory.grow`. Addresses come from `heap`.

use super::{Result, Translator};
use crate::vm::builtins::Builtin;
use crate::vm::vmctx::MEMORY_LENGTH;
use cranelift_codegen::ir::{self, types::*, InstBuilder, MemFlagsData, Opcode};
use wasmparser::{MemArg, Operator};

impl Translator<'_, '_> {
    pub(super) fn translate_memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match op {
            O::I32Load { memarg } => self.load(memarg, Opcode::Load, I32, I32),
            O::I64Load { memarg } => self.load(memarg, Opcode::Load, I64, I64),
            O::F32Load { memarg } => self.load(memarg, Opcode::Load, F32, F32),
            O::F64Load { memarg } => self.load(memarg, Opcode::Load, F64, F64),
            O::I32Load8S { memarg } => self.load(memarg, Opcode::Sload8, I32, I8),
            O::I32Load8U { memarg } => self.load(memarg, Opcode::Uload8, I32, I8),
            O::I32Load16S { memarg } => self.load(memarg, Opcode::Sload16, I32, I16),
            O::I32Load16U { memarg } => self.load(memarg, Opcode::Uload16, I32, I16),
            O::I64Load8S { memarg } => self.load(memarg, Opcode::Sload8, I64, I8),
            O::I64Load8U { memarg } => self.load(memarg, Opcode::Uload8, I64, I8),
            O::I64Load16S { memarg } => self.load(memarg, Opcode::Sload16, I64, I16),
            O::I64Load16U { memarg } => self.load(memarg, Opcode::Uload16, I64, I16),
            O::I64Load32S { memarg } => self.load(memarg, Opcode::Sload32, I64, I32),
            O::I64Load32U { memarg } => self.load(memarg, Opcode::Uload32, I64, I32),
            O::I32Store { memarg } | O::I64Store { memarg } | O::F32Store { memarg } | O::F64Store { memarg } => {
                self.store(memarg, None)
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => self.store(memarg, Some(I8)),
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => self.store(memarg, Some(I16)),
            O::I64Store32 { memarg } => self.store(memarg, Some(I32)),
            O::MemorySize { mem } => {
                let memory = self.vmctx_field(self.env.offsets.memory(*mem));
                let length = self.b.ins().load(I64, MemFlagsData::trusted(), memory, MEMORY_LENGTH);
                let pages = self.b.ins().ushr_imm_u(length, 16);
                let pages = self.b.ins().ireduce(I32, pages);
                self.push(pages);
            }
            O::MemoryGrow { mem } => {
                let delta = self.pop();
                let index = self.index_const(*mem);
                let old = self.builtin(Builtin::MemoryGrow, &[index, delta], Some(I32)).expect("an i32 result");
                self.push(old);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A load of `size`'s bytes, extended (by `opcode`) to `ty`.
    fn load(&mut self, memarg: &MemArg, opcode: Opcode, ty: ir::Type, size: ir::Type) {
        let index = self.pop();
        let (addr, offset, flags) = self.heap_access(memarg, index, size.bytes());
        let ins = self.b.ins();
        let value = match opcode {
            Opcode::Sload8 => ins.sload8(ty, flags, addr, offset),
            Opcode::Uload8 => ins.uload8(ty, flags, addr, offset),
            Opcode::Sload16 => ins.sload16(ty, flags, addr, offset),
            Opcode::Uload16 => ins.uload16(ty, flags, addr, offset),
            Opcode::Sload32 => ins.sload32(flags, addr, offset),
            Opcode::Uload32 => ins.uload32(flags, addr, offset),
            _ => ins.load(ty, flags, addr, offset),
        };
        self.push(value);
    }

    /// A store of the value on top of the stack, or of its low bytes when `narrow` says how
    /// many.
    fn store(&mut self, memarg: &MemArg, narrow: Option<ir::Type>) {
        let value = self.pop();
        let index = self.pop();
        let ty = narrow.unwrap_or(self.b.func.dfg.value_type(value));
        let (addr, offset, flags) = self.heap_access(memarg, index, ty.bytes());
        let ins = self.b.ins();
        match narrow {
            None => ins.store(flags, value, addr, offset),
            Some(t) if t == I8 => ins.istore8(flags, value, addr, offset),
            Some(t) if t == I16 => ins.istore16(flags, value, addr, offset),
            Some(_) => ins.istore32(flags, value, addr, offset),
        };
    }
}
