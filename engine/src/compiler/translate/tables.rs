//! Tables and references: `table.*`, `elem.drop`, `ref.null`, `ref.is_null`, `ref.func`.
//! A reference is a pointer-sized word, 0 for null: a funcref points to a `VMFuncRef`, an
//! externref is the embedder's index. Growing, filling, copying and initialising tables are
//! builtins; reading and writing an element is inline.

use super::{Result, Translator};
use crate::compiler::traps;
use crate::vm::builtins::Builtin;
use crate::vm::vmctx::TABLE_LENGTH;
use cranelift_codegen::ir::{condcodes::IntCC, types::*, InstBuilder, MemFlagsData};
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_tables(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match *op {
            O::TableGet { table } => {
                let index = self.pop();
                let entry = self.table_entry(table, index);
                let value = self.b.ins().load(I64, MemFlagsData::trusted(), entry, 0);
                self.push(value);
            }
            O::TableSet { table } => {
                let (index, value) = self.pop2();
                let entry = self.table_entry(table, index);
                self.b.ins().store(MemFlagsData::trusted(), value, entry, 0);
            }
            O::TableSize { table } => {
                let vm_table = self.vmctx_field(self.env.offsets.table(table));
                let length = self.b.ins().load(I64, MemFlagsData::trusted(), vm_table, TABLE_LENGTH);
                let length = self.b.ins().ireduce(I32, length);
                self.push(length);
            }
            O::TableGrow { table } => {
                let (init, delta) = self.pop2();
                let t = self.index_const(table);
                let old = self.builtin(Builtin::TableGrow, &[t, delta, init], Some(I32)).expect("an i32 result");
                self.push(old);
            }
            O::TableFill { table } => {
                let (dst, value, len) = self.pop3();
                let t = self.index_const(table);
                self.trapping_builtin(Builtin::TableFill, &[t, dst, value, len], traps::TABLE_OUT_OF_BOUNDS);
            }
            O::TableCopy { dst_table, src_table } => {
                let (dst, src, len) = self.pop3();
                let d = self.index_const(dst_table);
                let s = self.index_const(src_table);
                self.trapping_builtin(Builtin::TableCopy, &[d, s, dst, src, len], traps::TABLE_OUT_OF_BOUNDS);
            }
            O::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                let t = self.index_const(table);
                let segment = self.index_const(elem_index);
                self.trapping_builtin(Builtin::TableInit, &[t, segment, dst, src, len], traps::TABLE_OUT_OF_BOUNDS);
            }
            O::ElemDrop { elem_index } => {
                let segment = self.index_const(elem_index);
                self.builtin(Builtin::ElemDrop, &[segment], None);
            }
            O::RefNull { .. } => {
                let null = self.b.ins().iconst(I64, 0);
                self.push(null);
            }
            O::RefIsNull => {
                let value = self.pop();
                let is_null = self.b.ins().icmp_imm_s(IntCC::Equal, value, 0);
                let is_null = self.b.ins().uextend(I32, is_null);
                self.push(is_null);
            }
            O::RefFunc { function_index } => {
                let offset = self.env.offsets.funcref(function_index);
                let funcref = self.b.ins().iadd_imm_s(self.vmctx, offset as i64);
                self.push(funcref);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
