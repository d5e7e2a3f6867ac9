//! Calls. A call to one of the module's own functions is a direct call, resolved when the
//! module's code is linked; an imported function is called through the copy of its funcref
//! in the vmctx, and `call_indirect` through the funcref in the table, after checking that
//! its type is the one expected.

use super::env::readonly;
use super::{Result, Translator};
use crate::compiler::traps;
use crate::vm::vmctx::{FUNCREF_CODE, FUNCREF_TYPE, FUNCREF_VMCTX};
use cranelift_codegen::ir::{self, condcodes::IntCC, types::*, InstBuilder, MemFlagsData, Value};
use wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_calls(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match *op {
            O::Call { function_index } => self.call(function_index),
            O::CallIndirect { type_index, table_index } => self.call_indirect(type_index, table_index),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn call(&mut self, index: u32) {
        let ty = self.info.funcs[index as usize];
        let sig = self.signature(ty);
        let count = self.info.types[ty as usize].params().len();
        let mut args = vec![self.vmctx];
        args.extend(self.stack.pop_n(count));
        let call = if index >= self.info.imported_funcs {
            let name = self.b.func.declare_imported_user_function(ir::UserExternalName::new(0, index));
            let callee = self.b.import_function(ir::ExtFuncData {
                name: ir::ExternalName::user(name),
                signature: sig,
                colocated: true,
                patchable: false,
            });
            self.b.ins().call(callee, &args)
        } else {
            let slot = self.env.offsets.funcref(index) as i32;
            let vmctx = self.vmctx;
            let code = self.b.ins().load(I64, readonly(), vmctx, slot + FUNCREF_CODE);
            args[0] = self.b.ins().load(I64, readonly(), vmctx, slot + FUNCREF_VMCTX);
            let call = self.b.ins().call_indirect(sig, code, &args);
            self.after_leaving_wasm();
            call
        };
        self.push_results(call);
    }

    fn call_indirect(&mut self, ty: u32, table: u32) {
        let sig = self.signature(ty);
        let count = self.info.types[ty as usize].params().len();
        let index = self.pop();
        let call_args = self.stack.pop_n(count);
        let entry = self.table_entry(table, index);
        let funcref = self.b.ins().load(I64, MemFlagsData::trusted(), entry, 0);
        self.b.ins().trapz(funcref, traps::INDIRECT_CALL_TO_NULL);
        let type_id = self.b.ins().load(I64, MemFlagsData::trusted(), funcref, FUNCREF_TYPE);
        let vmctx = self.vmctx;
        let expected = self.b.ins().load(I64, readonly(), vmctx, self.env.offsets.type_id(ty) as i32);
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, type_id, expected);
        self.b.ins().trapnz(mismatch, traps::BAD_SIGNATURE);
        let code = self.b.ins().load(I64, MemFlagsData::trusted(), funcref, FUNCREF_CODE);
        let callee_vmctx = self.b.ins().load(I64, MemFlagsData::trusted(), funcref, FUNCREF_VMCTX);
        let mut args: Vec<Value> = vec![callee_vmctx];
        args.extend(call_args);
        let call = self.b.ins().call_indirect(sig, code, &args);
        self.after_leaving_wasm();
        self.push_results(call);
    }

    fn push_results(&mut self, call: ir::Inst) {
        let results = self.b.inst_results(call).to_vec();
        for r in results {
            self.push(r);
        }
    }
}
