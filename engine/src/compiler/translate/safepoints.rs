//! The checks compiled code makes so that it can be stopped: the stack limit and the
//! interrupt flag at function entry, the interrupt flag in loops (or, where a signal brings
//! the thread to the safepoint, after calls that leave wasm code), and fuel.
//!
//! Fuel is metered as Wasmtime does it: the fuel consumed (`VMRuntime::fuel`, negative while
//! some remains) lives in a variable, so in a register, while the function runs. Each
//! operator costs one unit, except those that generate no code of their own (`nop`, `drop`,
//! block markers, `return`, `unreachable`). The pending cost is added to the variable at the
//! end of each basic block; the variable is written back to the runtime block before calls
//! and returns (so the callee and the embedder see it) and read again after calls. Function
//! entries and loop headers trap with `out_of_fuel` when it is 0 or more, so any loop or
//! recursion stops.

use super::Translator;
use crate::compiler::traps;
use crate::vm::builtins::{Builtin, OVERFLOW};
use crate::vm::vmctx::*;
use cranelift_codegen::ir::{self, condcodes::IntCC, types::*, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::Variable;
use wasmparser::Operator;

pub(crate) struct Safepoints {
    /// Present when the code is metered.
    fuel: Option<Fuel>,
    /// Loops check the interrupt flag; without, a signal brings the thread to the safepoint
    /// (`vm::preempt`), and the flag is checked where wasm code is entered again from code
    /// a signal cannot divert: after calls to builtins, imports and `call_indirect`.
    loop_checks: bool,
    /// A loop header was translated and its interrupt check is not emitted yet (see
    /// `loop_header`).
    loop_check_pending: bool,
}

struct Fuel {
    /// Declared at the function's entry.
    var: Option<Variable>,
    /// Cost of the operators since the variable was last updated.
    pending: i64,
}

impl Safepoints {
    pub fn new(metered: bool, loop_checks: bool) -> Safepoints {
        Safepoints {
            fuel: metered.then_some(Fuel { var: None, pending: 0 }),
            loop_checks,
            loop_check_pending: false,
        }
    }

    fn fuel_var(&self) -> Option<Variable> {
        self.fuel.as_ref().and_then(|f| f.var)
    }
}

impl Translator<'_, '_> {
    /// At function entry, once the prologue has made the frame: when the stack pointer is
    /// below the entry limit (past the stack limit, or any stack pointer while the interrupt
    /// flag is set; see `VMInterrupt`), calls the `safepoint` builtin, which may trap. One
    /// comparison for both, where the check for the flag would cost a second.
    pub(super) fn function_entry(&mut self) {
        let runtime = self.vmctx_field(VMOffsets::RUNTIME);
        let limit = self.b.ins().load(I64, MemFlagsData::trusted(), runtime, RUNTIME_ENTRY_LIMIT);
        let sp = self.b.ins().get_stack_pointer(I64);
        let below = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        self.cold_path(below, |t, go_on| t.safepoint(sp, go_on));
        if let Some(fuel) = &mut self.safepoints.fuel {
            let var = self.b.declare_var(I64);
            fuel.var = Some(var);
            self.fuel_load(var);
            self.fuel_check();
        }
    }

    /// Just before the return: the fuel consumed goes back to the runtime block.
    pub(super) fn function_exit(&mut self) {
        if let Some(var) = self.safepoints.fuel_var() {
            self.fuel_flush();
            self.fuel_save(var);
        }
    }

    /// At a loop header, translated as the header block starts. The interrupt check waits
    /// for the operators after the header: when a call to one of the module's own functions
    /// comes before anything that could branch, every iteration makes that call, and the
    /// callee's entry checks, so the loop needs no check of its own. A recursive kernel's
    /// loops are like that; compilers turn one of two recursive calls into a loop.
    /// Otherwise the check goes where the straight code from the header ends, which is as
    /// good as at the header itself.
    pub(super) fn loop_header(&mut self) {
        self.fuel_check();
        self.safepoints.loop_check_pending = self.safepoints.loop_checks;
    }

    /// After a call that may have run code other than wasm functions (a builtin, a host
    /// function), where a signal sent meanwhile found nothing to divert.
    pub(super) fn after_leaving_wasm(&mut self) {
        if !self.safepoints.loop_checks {
            self.check_interrupt();
        }
    }

    /// Before each reachable operator: a pending loop check, and the operator's fuel.
    pub(super) fn before_operator(&mut self, op: &Operator<'_>) {
        use Operator as O;
        if self.safepoints.loop_check_pending {
            match op {
                O::Call { function_index } if *function_index >= self.info.imported_funcs => {
                    self.safepoints.loop_check_pending = false;
                }
                O::Block { .. }
                | O::Loop { .. }
                | O::If { .. }
                | O::Else
                | O::End
                | O::Br { .. }
                | O::BrIf { .. }
                | O::BrTable { .. }
                | O::Return
                | O::Unreachable
                | O::Call { .. }
                | O::CallIndirect { .. } => {
                    self.safepoints.loop_check_pending = false;
                    self.check_interrupt();
                }
                _ => {}
            }
        }
        let Some(fuel) = &mut self.safepoints.fuel else { return };
        fuel.pending += match op {
            O::Nop | O::Drop | O::Block { .. } | O::Loop { .. } | O::Else | O::End | O::Return | O::Unreachable => 0,
            _ => 1,
        };
        let var = fuel.var.expect("declared at entry");
        match op {
            // Control leaves the function: the counter must be in memory.
            O::Call { .. } | O::CallIndirect { .. } | O::Unreachable => {
                self.fuel_flush();
                self.fuel_save(var);
            }
            // The basic block ends.
            O::Loop { .. } | O::If { .. } | O::Else | O::Br { .. } | O::BrIf { .. } | O::BrTable { .. } | O::End | O::Return => {
                self.fuel_flush()
            }
            _ => {}
        }
    }

    /// After each operator translated in reachable code.
    pub(super) fn after_operator(&mut self, op: &Operator<'_>) {
        if let Some(var) = self.safepoints.fuel_var() {
            if self.reachable && matches!(op, Operator::Call { .. } | Operator::CallIndirect { .. }) {
                // The callee consumed fuel, and the embedder may have added some.
                self.fuel_load(var);
            }
        }
    }

    /// When the store's interrupt flag is set, calls the `safepoint` builtin (out of line,
    /// in a cold block), which may trap.
    ///
    /// The flag is read with an atomic load: another thread sets it, and Cranelift would
    /// otherwise reuse the value a plain load read earlier when no store or call comes in
    /// between, so a tight loop would never see the flag change.
    fn check_interrupt(&mut self) {
        let runtime = self.vmctx_field(VMOffsets::RUNTIME);
        let flag_addr = self.b.ins().iadd_imm_s(runtime, RUNTIME_INTERRUPT as i64);
        let flag = self.b.ins().atomic_load(I32, MemFlagsData::trusted(), flag_addr);
        self.cold_path(flag, |t, go_on| {
            // No stack pointer: the stack was checked at the function's entry.
            let none = t.b.ins().iconst(I64, -1);
            t.safepoint(none, go_on)
        });
    }

    /// Calls the `safepoint` builtin with the stack pointer `sp` and traps as it says, or
    /// goes on. Every block but `go_on` is cold: a conditional trap would put its
    /// fall-through block in the hot code.
    fn safepoint(&mut self, sp: Value, go_on: ir::Block) {
        let verdict = self.builtin(Builtin::Safepoint, &[sp], Some(I32)).expect("an i32 result");
        let [stop, overflow, interrupt] = [(); 3].map(|_| {
            let block = self.b.create_block();
            self.b.set_cold_block(block);
            block
        });
        self.b.ins().brif(verdict, stop, &[], go_on, &[]);
        self.b.switch_to_block(stop);
        self.b.seal_block(stop);
        let is_overflow = self.b.ins().icmp_imm_s(IntCC::Equal, verdict, OVERFLOW as i64);
        self.b.ins().brif(is_overflow, overflow, &[], interrupt, &[]);
        for (block, code) in [(overflow, traps::STACK_OVERFLOW), (interrupt, traps::INTERRUPT)] {
            self.b.switch_to_block(block);
            self.b.seal_block(block);
            self.b.ins().trap(code);
        }
    }

    /// When `condition` is nonzero, runs the code `cold` emits in a block out of line; `cold`
    /// ends that block, by a jump to the block it is given (where the code goes on) or a trap.
    fn cold_path(&mut self, condition: Value, cold: impl FnOnce(&mut Self, ir::Block)) {
        let taken = self.b.create_block();
        let go_on = self.b.create_block();
        self.b.set_cold_block(taken);
        self.b.ins().brif(condition, taken, &[], go_on, &[]);
        self.b.switch_to_block(taken);
        self.b.seal_block(taken);
        cold(self, go_on);
        self.b.switch_to_block(go_on);
        self.b.seal_block(go_on);
    }

    /// The address of the store's fuel counter.
    fn fuel_addr(&mut self) -> Value {
        let runtime = self.vmctx_field(VMOffsets::RUNTIME);
        self.b.ins().iadd_imm_s(runtime, RUNTIME_FUEL as i64)
    }

    fn fuel_load(&mut self, var: Variable) {
        let addr = self.fuel_addr();
        let fuel = self.b.ins().load(I64, MemFlagsData::trusted(), addr, 0);
        self.b.def_var(var, fuel);
    }

    fn fuel_save(&mut self, var: Variable) {
        let addr = self.fuel_addr();
        let fuel = self.b.use_var(var);
        self.b.ins().store(MemFlagsData::trusted(), fuel, addr, 0);
    }

    /// Adds the pending cost to the variable.
    fn fuel_flush(&mut self) {
        let Some(fuel) = &mut self.safepoints.fuel else { return };
        let (Some(var), pending) = (fuel.var, fuel.pending) else { return };
        if pending == 0 {
            return;
        }
        fuel.pending = 0;
        let consumed = self.b.use_var(var);
        let consumed = self.b.ins().iadd_imm_s(consumed, pending);
        self.b.def_var(var, consumed);
    }

    /// Traps with `out_of_fuel`, the counter saved first, when no fuel remains.
    fn fuel_check(&mut self) {
        let Some(var) = self.safepoints.fuel_var() else { return };
        let consumed = self.b.use_var(var);
        let out = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, consumed, 0);
        self.cold_path(out, |t, _| {
            t.fuel_save(var);
            t.b.ins().trap(traps::OUT_OF_FUEL);
        });
    }
}

/// Makes the prologue check the stack limit before it allocates the frame, for a function
/// whose frame is too large for the check after it (see `Worker::compile`).
pub(crate) fn check_stack_in_prologue(func: &mut ir::Function) {
    let readonly = func.dfg.mem_flags.insert(super::env::readonly()).expect("few memory flags");
    let trusted = func.dfg.mem_flags.insert(MemFlagsData::trusted()).expect("few memory flags");
    let vmctx = func.create_global_value(ir::GlobalValueData::VMContext);
    let runtime = func.create_global_value(ir::GlobalValueData::Load {
        base: vmctx,
        offset: (VMOffsets::RUNTIME as i32).into(),
        global_type: I64,
        flags: readonly,
    });
    func.stack_limit = Some(func.create_global_value(ir::GlobalValueData::Load {
        base: runtime,
        offset: RUNTIME_STACK_LIMIT.into(),
        global_type: I64,
        flags: trusted,
    }));
}
