//! What compiled code reaches through its vmctx: fields of the instance, the builtins the
//! runtime provides, table elements. The layout is `vm::vmctx`'s.

use super::Translator;
use crate::compiler::traps;
use crate::module_info::ModuleInfo;
use crate::vm::builtins::Builtin;
use crate::vm::memory::MemoryMode;
use crate::vm::vmctx::*;
use cranelift_codegen::ir::{self, condcodes::IntCC, types::*, InstBuilder, MemFlagsData, Value};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};

/// What every function of one module is translated with.
pub(crate) struct Env<'a> {
    pub info: &'a ModuleInfo,
    pub offsets: &'a VMOffsets,
    pub memory_mode: MemoryMode,
    /// Count fuel (see `safepoints`).
    pub metered: bool,
    /// Check the interrupt flag in loops; without, after calls that may leave wasm code
    /// (see `safepoints`).
    pub loop_checks: bool,
    pub host_call_conv: CallConv,
    pub frontend: TargetFrontendConfig,
}

/// Loads of fields that never change while an instance lives, from addresses always valid.
/// Cranelift treats such a load as a pure value: it loads each field once where one load
/// dominates the others, and hoists it out of loops (the memory base of a sieve's inner loop
/// no longer costs two loads per iteration).
pub(crate) fn readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

impl Translator<'_, '_> {
    /// The pointer-sized field at `offset` in the vmctx, which never changes.
    pub fn vmctx_field(&mut self, offset: u32) -> Value {
        let vmctx = self.vmctx;
        self.b.ins().load(I64, readonly(), vmctx, offset as i32)
    }

    /// Calls a builtin, found in the table the vmctx points to, with the vmctx as first
    /// argument.
    pub fn builtin(&mut self, builtin: Builtin, args: &[Value], returns: Option<ir::Type>) -> Option<Value> {
        let vmctx = self.vmctx;
        // The safepoint builtin's convention (see `vm::builtins::SafepointFn`).
        let conv = match builtin {
            Builtin::Safepoint if cfg!(target_arch = "x86_64") => CallConv::WindowsFastcall,
            _ => self.env.host_call_conv,
        };
        let mut sig = ir::Signature::new(conv);
        sig.params.push(ir::AbiParam::new(I64));
        for &a in args {
            let ty = self.b.func.dfg.value_type(a);
            sig.params.push(ir::AbiParam::new(ty));
        }
        sig.returns.extend(returns.map(ir::AbiParam::new));
        let sig = self.b.import_signature(sig);
        // The safepoint builtin is called from cold blocks. Loads marked read-only could be
        // hoisted out of them, and their values would then occupy registers in the hot code.
        let flags = match builtin {
            Builtin::Safepoint => MemFlagsData::trusted(),
            _ => readonly(),
        };
        let builtins = self.b.ins().load(I64, flags, vmctx, VMOffsets::BUILTINS as i32);
        let callee = self.b.ins().load(I64, flags, builtins, builtin.offset());
        let mut all = vec![vmctx];
        all.extend_from_slice(args);
        let call = self.b.ins().call_indirect(sig, callee, &all);
        if !matches!(builtin, Builtin::Safepoint) {
            self.after_leaving_wasm();
        }
        self.b.inst_results(call).first().copied()
    }

    /// A builtin whose i32 result is nonzero when the operation must trap with `code`.
    pub fn trapping_builtin(&mut self, builtin: Builtin, args: &[Value], code: ir::TrapCode) {
        let failed = self.builtin(builtin, args, Some(I32)).expect("an i32 result");
        self.b.ins().trapnz(failed, code);
    }

    pub fn index_const(&mut self, index: u32) -> Value {
        self.b.ins().iconst(I32, index as i64)
    }

    /// The address of element `index` (an i32) of table `table`, trapping when out of bounds.
    pub fn table_entry(&mut self, table: u32, index: Value) -> Value {
        let table = self.vmctx_field(self.env.offsets.table(table));
        let length = self.b.ins().load(I64, MemFlagsData::trusted(), table, TABLE_LENGTH);
        let index = self.b.ins().uextend(I64, index);
        let out = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, length);
        self.b.ins().trapnz(out, traps::TABLE_OUT_OF_BOUNDS);
        let base = self.b.ins().load(I64, MemFlagsData::trusted(), table, TABLE_BASE);
        let scaled = self.b.ins().ishl_imm_u(index, 3);
        self.b.ins().iadd(base, scaled)
    }

    /// The address of global `index`'s value.
    pub fn global_addr(&mut self, index: u32) -> Value {
        self.vmctx_field(self.env.offsets.global(index))
    }
}
