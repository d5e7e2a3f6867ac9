//! Locals and globals. Locals are Cranelift variables, so values in registers; globals live
//! in `VMGlobal`s that the vmctx points to (an imported global is another instance's).

use super::env::readonly;
use super::{Result, Translator};
use crate::compiler::clif_type;
use crate::vm::vmctx::GLOBAL_BITS;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData};
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_variables(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match *op {
            O::LocalGet { local_index } => {
                let value = self.b.use_var(self.locals[local_index as usize]);
                self.push(value);
            }
            O::LocalSet { local_index } => {
                let value = self.pop();
                self.b.def_var(self.locals[local_index as usize], value);
            }
            O::LocalTee { local_index } => {
                let value = *self.stack.values.last().expect("validated: a value to tee");
                self.b.def_var(self.locals[local_index as usize], value);
            }
            O::GlobalGet { global_index } => {
                let global = &self.info.globals[global_index as usize];
                let ty = clif_type(global.content);
                // An immutable global's value is read once per function.
                let flags = if global.mutable { MemFlagsData::trusted() } else { readonly() };
                let addr = self.global_addr(global_index);
                let value = self.b.ins().load(ty, flags, addr, GLOBAL_BITS);
                self.push(value);
            }
            O::GlobalSet { global_index } => {
                let value = self.pop();
                let addr = self.global_addr(global_index);
                self.b.ins().store(MemFlagsData::trusted(), value, addr, GLOBAL_BITS);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
