//! Bulk memory: `memory.copy`, `memory.fill`, `memory.init` and `data.drop`, done by
//! builtins, which check the bounds and say when to trap.

use super::{Result, Translator};
use crate::compiler::traps;
use crate::vm::builtins::Builtin;
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_bulk(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match *op {
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
                let d = self.index_const(dst_mem);
                let s = self.index_const(src_mem);
                self.trapping_builtin(Builtin::MemoryCopy, &[d, s, dst, src, len], traps::MEMORY_OUT_OF_BOUNDS);
            }
            O::MemoryFill { mem } => {
                let (dst, value, len) = self.pop3();
                let m = self.index_const(mem);
                self.trapping_builtin(Builtin::MemoryFill, &[m, dst, value, len], traps::MEMORY_OUT_OF_BOUNDS);
            }
            O::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3();
                let m = self.index_const(mem);
                let segment = self.index_const(data_index);
                self.trapping_builtin(Builtin::MemoryInit, &[m, segment, dst, src, len], traps::MEMORY_OUT_OF_BOUNDS);
            }
            O::DataDrop { data_index } => {
                let segment = self.index_const(data_index);
                self.builtin(Builtin::DataDrop, &[segment], None);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
