//! How wasm operations that touch the instance become machine code: the `FuncEnvironment`
//! cranelift-wasm calls while translating a function body.

use super::{clif_type, wasm_signature, Compiler, OUT_OF_FUEL_USER_CODE};
use crate::module_info::ModuleInfo;
use crate::vm::builtins::{Builtin, OVERFLOW};
use cranelift_codegen::isa::CallConv;
use crate::vm::memory::{MemoryMode, STATIC_BOUND, STATIC_GUARD};
use crate::vm::vmctx::*;
use cranelift_codegen::cursor::FuncCursor;
use cranelift_codegen::ir::{self, condcodes::IntCC, types::*, InstBuilder, MemFlags, Value};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_wasm::{
    FuncEnvironment, FuncIndex, GlobalIndex, GlobalVariable, Heap,
    HeapData, HeapStyle, MemoryIndex, TableIndex, TargetEnvironment, TypeConvert, TypeIndex,
    FuncTranslationState, WasmError, WasmHeapType, WasmResult,
};
use wasmparser::Operator;
use cranelift_codegen::entity::PrimaryMap;

pub(super) struct FuncEnv<'a> {
    compiler: &'a Compiler,
    info: &'a ModuleInfo,
    offsets: &'a VMOffsets,
    heaps: PrimaryMap<Heap, HeapData>,
    vmctx: Option<ir::GlobalValue>,
    /// Present when the code is metered.
    fuel: Option<Fuel>,
    /// A loop header was translated and its interrupt check is not emitted yet (see
    /// `translate_loop_header`).
    loop_check_pending: bool,
}

/// Fuel metering, as Wasmtime does it: the fuel consumed (`VMRuntime::fuel`, negative while
/// some remains) lives in a variable, so in a register, while the function runs. Each
/// operator costs one unit, except those that generate no code of their own (`nop`, `drop`,
/// block markers, `return`, `unreachable`). The pending cost is added to the variable at the
/// end of each basic block; the variable is written back to the runtime block before calls
/// and returns (so the callee and the embedder see it) and read again after calls. Function
/// entries and loop headers trap with `out_of_fuel` when it is 0 or more, so any loop or
/// recursion stops.
struct Fuel {
    var: Variable,
    /// Cost of the operators since the variable was last updated.
    pending: i64,
}

fn readonly() -> MemFlags {
    MemFlags::trusted().with_readonly()
}

fn unsupported<T>(what: &str) -> WasmResult<T> {
    Err(WasmError::Unsupported(format!("{what} is not part of WebAssembly 2.0")))
}

impl<'a> FuncEnv<'a> {
    pub fn new(compiler: &'a Compiler, info: &'a ModuleInfo, offsets: &'a VMOffsets, metered: bool) -> FuncEnv<'a> {
        FuncEnv {
            compiler,
            info,
            offsets,
            heaps: PrimaryMap::new(),
            vmctx: None,
            // The variable's index is set once the locals are known (`after_locals`).
            fuel: metered.then(|| Fuel {
                var: Variable::from_u32(0),
                pending: 0,
            }),
            loop_check_pending: false,
        }
    }

    fn vmctx_gv(&mut self, func: &mut ir::Function) -> ir::GlobalValue {
        *self
            .vmctx
            .get_or_insert_with(|| func.create_global_value(ir::GlobalValueData::VMContext))
    }

    /// A global value loading the pointer stored at `offset` in the vmctx.
    fn vmctx_pointer_gv(&mut self, func: &mut ir::Function, offset: u32) -> ir::GlobalValue {
        let base = self.vmctx_gv(func);
        func.create_global_value(ir::GlobalValueData::Load {
            base,
            offset: (offset as i32).into(),
            global_type: I64,
            flags: readonly(),
        })
    }

    fn vmctx(pos: &FuncCursor) -> Value {
        pos.func
            .special_param(ir::ArgumentPurpose::VMContext)
            .expect("wasm functions take a vmctx")
    }

    fn load_vmctx_field(&self, pos: &mut FuncCursor, offset: u32) -> Value {
        let vmctx = Self::vmctx(pos);
        pos.ins().load(I64, readonly(), vmctx, offset as i32)
    }

    /// Calls a builtin, found in the table the vmctx points to, with the vmctx as first
    /// argument.
    fn libcall(
        &self,
        pos: &mut FuncCursor,
        builtin: Builtin,
        args: &[Value],
        returns: Option<ir::Type>,
    ) -> Option<Value> {
        let vmctx = Self::vmctx(pos);
        // The safepoint builtin's convention (see `vm::builtins::SafepointFn`).
        let conv = match builtin {
            Builtin::Safepoint if cfg!(target_arch = "x86_64") => CallConv::WindowsFastcall,
            _ => self.compiler.host_call_conv(),
        };
        let mut sig = ir::Signature::new(conv);
        sig.params.push(ir::AbiParam::new(I64));
        for &a in args {
            let ty = pos.func.dfg.value_type(a);
            sig.params.push(ir::AbiParam::new(ty));
        }
        sig.returns.extend(returns.map(ir::AbiParam::new));
        let sig = pos.func.import_signature(sig);
        // The safepoint builtin is called from cold blocks. Loads marked read-only could be
        // hoisted out of them, and their values would then occupy registers in the hot code.
        let flags = match builtin {
            Builtin::Safepoint => MemFlags::trusted(),
            _ => readonly(),
        };
        let builtins = pos.ins().load(I64, flags, vmctx, VMOffsets::BUILTINS as i32);
        let callee = pos.ins().load(I64, flags, builtins, builtin.offset());
        let mut all = vec![vmctx];
        all.extend_from_slice(args);
        let call = pos.ins().call_indirect(sig, callee, &all);
        pos.func.dfg.inst_results(call).first().copied()
    }

    /// A libcall whose i32 result is nonzero when the operation must trap with `code`.
    fn trapping_libcall(
        &self,
        pos: &mut FuncCursor,
        builtin: Builtin,
        args: &[Value],
        code: ir::TrapCode,
    ) {
        let failed = self.libcall(pos, builtin, args, Some(I32)).unwrap();
        pos.ins().trapnz(failed, code);
    }

    fn index_const(pos: &mut FuncCursor, index: u32) -> Value {
        pos.ins().iconst(I32, index as i64)
    }

    /// The address of element `index` of table `table`, trapping when out of bounds.
    fn table_entry(&self, pos: &mut FuncCursor, table: TableIndex, index: Value) -> Value {
        let table_ptr = self.load_vmctx_field(pos, self.offsets.table(table.as_u32()));
        let length = pos
            .ins()
            .load(I64, MemFlags::trusted(), table_ptr, TABLE_LENGTH);
        let index = pos.ins().uextend(I64, index);
        let out = pos.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, length);
        pos.ins().trapnz(out, ir::TrapCode::TableOutOfBounds);
        let base = pos.ins().load(I64, MemFlags::trusted(), table_ptr, TABLE_BASE);
        let scaled = pos.ins().ishl_imm(index, 3);
        pos.ins().iadd(base, scaled)
    }

    /// At a loop header: when the store's interrupt flag is set, calls the `safepoint`
    /// builtin (out of line, in a cold block), which may trap.
    ///
    /// The flag is read with an atomic load: another thread sets it, and cranelift would
    /// otherwise reuse the value a plain load read earlier when no store or call comes in
    /// between, so a tight loop would never see the flag change.
    fn check_interrupt(&self, builder: &mut FunctionBuilder) {
        let mut pos = builder.cursor();
        let runtime = self.load_vmctx_field(&mut pos, VMOffsets::RUNTIME);
        let flag_addr = pos.ins().iadd_imm(runtime, RUNTIME_INTERRUPT as i64);
        let flag = pos.ins().atomic_load(I32, MemFlags::trusted(), flag_addr);
        Self::cold_path(builder, flag, |builder, go_on| {
            // No stack pointer: the stack was checked at the function's entry.
            let none = builder.ins().iconst(I64, -1);
            self.safepoint(builder, none, go_on)
        });
    }

    /// At function entry, once the prologue has made the frame: when the stack pointer is
    /// below the entry limit (past the stack limit, or any stack pointer while the interrupt
    /// flag is set; see `VMInterrupt`), calls the `safepoint` builtin, which may trap. One
    /// comparison for both, where the check for the flag would cost a second.
    fn check_stack_and_interrupt(&self, builder: &mut FunctionBuilder) {
        let mut pos = builder.cursor();
        let runtime = self.load_vmctx_field(&mut pos, VMOffsets::RUNTIME);
        let limit = pos.ins().load(I64, MemFlags::trusted(), runtime, RUNTIME_ENTRY_LIMIT);
        let sp = pos.ins().get_stack_pointer(I64);
        let below = pos.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        Self::cold_path(builder, below, |builder, go_on| self.safepoint(builder, sp, go_on));
    }

    /// Makes the prologue check the stack limit before it allocates the frame, for a function
    /// whose frame is too large for the check after it (see `Worker::compile`).
    pub fn check_stack_in_prologue(&mut self, func: &mut ir::Function) {
        let runtime = self.vmctx_pointer_gv(func, VMOffsets::RUNTIME);
        func.stack_limit = Some(func.create_global_value(ir::GlobalValueData::Load {
            base: runtime,
            offset: RUNTIME_STACK_LIMIT.into(),
            global_type: I64,
            flags: MemFlags::trusted(),
        }));
    }

    /// Calls the `safepoint` builtin with the stack pointer `sp` and traps as it says, or
    /// goes on. Every block but `go_on` is cold: a conditional trap would put its
    /// fall-through block in the hot code.
    fn safepoint(&self, builder: &mut FunctionBuilder, sp: Value, go_on: ir::Block) {
        let mut pos = builder.cursor();
        let verdict = self.libcall(&mut pos, Builtin::Safepoint, &[sp], Some(I32)).unwrap();
        let [stop, overflow, interrupt] = [(); 3].map(|_| {
            let block = builder.create_block();
            builder.set_cold_block(block);
            block
        });
        builder.ins().brif(verdict, stop, &[], go_on, &[]);
        builder.switch_to_block(stop);
        builder.seal_block(stop);
        let is_overflow = builder.ins().icmp_imm(IntCC::Equal, verdict, OVERFLOW as i64);
        builder.ins().brif(is_overflow, overflow, &[], interrupt, &[]);
        for (block, code) in [(overflow, ir::TrapCode::StackOverflow), (interrupt, ir::TrapCode::Interrupt)] {
            builder.switch_to_block(block);
            builder.seal_block(block);
            builder.ins().trap(code);
        }
    }

    /// When `condition` is nonzero, runs the code `cold` emits in a block out of line; `cold`
    /// ends that block, by a jump to the block it is given (where the code goes on) or a trap.
    fn cold_path(builder: &mut FunctionBuilder, condition: Value, cold: impl FnOnce(&mut FunctionBuilder, ir::Block)) {
        let taken = builder.create_block();
        let go_on = builder.create_block();
        builder.set_cold_block(taken);
        builder.ins().brif(condition, taken, &[], go_on, &[]);
        builder.switch_to_block(taken);
        builder.seal_block(taken);
        cold(builder, go_on);
        builder.switch_to_block(go_on);
        builder.seal_block(go_on);
    }

    /// The address of the store's fuel counter.
    fn fuel_addr(&self, builder: &mut FunctionBuilder) -> Value {
        let mut pos = builder.cursor();
        let runtime = self.load_vmctx_field(&mut pos, VMOffsets::RUNTIME);
        pos.ins().iadd_imm(runtime, RUNTIME_FUEL as i64)
    }

    fn fuel_load(&self, builder: &mut FunctionBuilder, var: Variable) {
        let addr = self.fuel_addr(builder);
        let fuel = builder.ins().load(I64, MemFlags::trusted(), addr, 0);
        builder.def_var(var, fuel);
    }

    fn fuel_save(&self, builder: &mut FunctionBuilder, var: Variable) {
        let addr = self.fuel_addr(builder);
        let fuel = builder.use_var(var);
        builder.ins().store(MemFlags::trusted(), fuel, addr, 0);
    }

    /// Adds the pending cost to the variable.
    fn fuel_flush(&mut self, builder: &mut FunctionBuilder) {
        let Some(fuel) = &mut self.fuel else { return };
        if fuel.pending == 0 {
            return;
        }
        let consumed = builder.use_var(fuel.var);
        let consumed = builder.ins().iadd_imm(consumed, fuel.pending);
        builder.def_var(fuel.var, consumed);
        fuel.pending = 0;
    }

    /// Traps with `out_of_fuel`, the counter saved first, when no fuel remains.
    fn fuel_check(&self, builder: &mut FunctionBuilder) {
        let Some(fuel) = &self.fuel else { return };
        let consumed = builder.use_var(fuel.var);
        let out = builder.ins().icmp_imm(IntCC::SignedGreaterThanOrEqual, consumed, 0);
        Self::cold_path(builder, out, |builder, _| {
            self.fuel_save(builder, fuel.var);
            builder.ins().trap(ir::TrapCode::User(OUT_OF_FUEL_USER_CODE));
        });
    }

    fn signature(&self, ty: TypeIndex) -> ir::Signature {
        wasm_signature(&self.info.types[ty.as_u32() as usize])
    }
}

impl TypeConvert for FuncEnv<'_> {
    fn lookup_heap_type(&self, _index: wasmparser::UnpackedIndex) -> WasmHeapType {
        // Concrete heap types only come with the typed function references proposal, which
        // the validator rejects before translation.
        unreachable!("typed function references are not enabled")
    }

    fn lookup_type_index(
        &self,
        _index: wasmparser::UnpackedIndex,
    ) -> cranelift_wasm::EngineOrModuleTypeIndex {
        unreachable!("typed function references are not enabled")
    }
}

impl TargetEnvironment for FuncEnv<'_> {
    fn target_config(&self) -> TargetFrontendConfig {
        self.compiler.isa.frontend_config()
    }

    fn heap_access_spectre_mitigation(&self) -> bool {
        false
    }

    fn proof_carrying_code(&self) -> bool {
        false
    }

    fn reference_type(&self, _ty: WasmHeapType) -> (ir::Type, bool) {
        (I64, false)
    }
}

impl FuncEnvironment for FuncEnv<'_> {
    fn param_needs_stack_map(&self, _: &ir::Signature, _: usize) -> bool {
        false
    }

    fn sig_ref_result_needs_stack_map(&self, _: ir::SigRef, _: usize) -> bool {
        false
    }

    fn func_ref_result_needs_stack_map(&self, _: &ir::Function, _: ir::FuncRef, _: usize) -> bool {
        false
    }

    fn make_global(
        &mut self,
        func: &mut ir::Function,
        index: GlobalIndex,
    ) -> WasmResult<GlobalVariable> {
        let gv = self.vmctx_pointer_gv(func, self.offsets.global(index.as_u32()));
        let ty = clif_type(self.info.globals[index.as_u32() as usize].content);
        Ok(GlobalVariable::Memory {
            gv,
            offset: GLOBAL_BITS.into(),
            ty,
        })
    }

    fn heaps(&self) -> &PrimaryMap<Heap, HeapData> {
        &self.heaps
    }

    fn make_heap(&mut self, func: &mut ir::Function, index: MemoryIndex) -> WasmResult<Heap> {
        let memory = self.vmctx_pointer_gv(func, self.offsets.memory(index.as_u32()));
        let ty = self.info.memories[index.as_u32() as usize];
        // A static memory never moves, so its base may be loaded once per function.
        let base_flags = match self.compiler.memory_mode {
            MemoryMode::Static => readonly(),
            MemoryMode::Dynamic => MemFlags::trusted(),
        };
        let base = func.create_global_value(ir::GlobalValueData::Load {
            base: memory,
            offset: MEMORY_BASE.into(),
            global_type: I64,
            flags: base_flags,
        });
        let (style, offset_guard_size) = match self.compiler.memory_mode {
            MemoryMode::Static => (
                HeapStyle::Static {
                    bound: STATIC_BOUND as u64,
                },
                STATIC_GUARD as u64,
            ),
            MemoryMode::Dynamic => {
                let bound_gv = func.create_global_value(ir::GlobalValueData::Load {
                    base: memory,
                    offset: MEMORY_LENGTH.into(),
                    global_type: I64,
                    flags: MemFlags::trusted(),
                });
                // Every access checked in full, its size included: none relies on the guard
                // region (a fault there is what valgrind, one reason for this mode, reports).
                (HeapStyle::Dynamic { bound_gv }, 0)
            }
        };
        Ok(self.heaps.push(HeapData {
            base,
            min_size: ty.minimum as u64 * 65536,
            max_size: Some(ty.maximum.unwrap_or(65536) as u64 * 65536),
            offset_guard_size,
            style,
            index_type: I32,
            memory_type: None,
            page_size_log2: 16,
        }))
    }

    fn make_indirect_sig(
        &mut self,
        func: &mut ir::Function,
        index: TypeIndex,
    ) -> WasmResult<ir::SigRef> {
        Ok(func.import_signature(self.signature(index)))
    }

    fn make_direct_func(
        &mut self,
        func: &mut ir::Function,
        index: FuncIndex,
    ) -> WasmResult<ir::FuncRef> {
        let ty = self.info.funcs[index.as_u32() as usize];
        let signature = func.import_signature(self.signature(TypeIndex::from_u32(ty)));
        let name = func.declare_imported_user_function(ir::UserExternalName::new(0, index.as_u32()));
        Ok(func.import_function(ir::ExtFuncData {
            name: ir::ExternalName::user(name),
            signature,
            colocated: true,
        }))
    }

    fn translate_call(
        &mut self,
        builder: &mut FunctionBuilder,
        callee_index: FuncIndex,
        callee: ir::FuncRef,
        call_args: &[Value],
    ) -> WasmResult<ir::Inst> {
        let mut pos = builder.cursor();
        let vmctx = Self::vmctx(&pos);
        let index = callee_index.as_u32();
        if index >= self.info.imported_funcs {
            let mut args = vec![vmctx];
            args.extend_from_slice(call_args);
            return Ok(pos.ins().call(callee, &args));
        }
        // An import: call through the copy of its funcref in our vmctx.
        let slot = self.offsets.funcref(index) as i32;
        let code = pos.ins().load(I64, readonly(), vmctx, slot + FUNCREF_CODE);
        let callee_vmctx = pos.ins().load(I64, readonly(), vmctx, slot + FUNCREF_VMCTX);
        let sig = pos.func.dfg.ext_funcs[callee].signature;
        let mut args = vec![callee_vmctx];
        args.extend_from_slice(call_args);
        Ok(pos.ins().call_indirect(sig, code, &args))
    }

    fn translate_call_indirect(
        &mut self,
        builder: &mut FunctionBuilder,
        table_index: TableIndex,
        sig_index: TypeIndex,
        sig_ref: ir::SigRef,
        callee: Value,
        call_args: &[Value],
    ) -> WasmResult<Option<ir::Inst>> {
        let mut pos = builder.cursor();
        let entry = self.table_entry(&mut pos, table_index, callee);
        let funcref = pos.ins().load(I64, MemFlags::trusted(), entry, 0);
        pos.ins()
            .trapz(funcref, ir::TrapCode::IndirectCallToNull);
        let type_id = pos
            .ins()
            .load(I64, MemFlags::trusted(), funcref, FUNCREF_TYPE);
        let vmctx = Self::vmctx(&pos);
        let expected_at = self.offsets.type_id(sig_index.as_u32()) as i32;
        let expected = pos.ins().load(I64, readonly(), vmctx, expected_at);
        let mismatch = pos.ins().icmp(IntCC::NotEqual, type_id, expected);
        pos.ins().trapnz(mismatch, ir::TrapCode::BadSignature);
        let code = pos
            .ins()
            .load(I64, MemFlags::trusted(), funcref, FUNCREF_CODE);
        let callee_vmctx = pos
            .ins()
            .load(I64, MemFlags::trusted(), funcref, FUNCREF_VMCTX);
        let mut args = vec![callee_vmctx];
        args.extend_from_slice(call_args);
        Ok(Some(pos.ins().call_indirect(sig_ref, code, &args)))
    }

    fn translate_return_call_indirect(
        &mut self,
        _: &mut FunctionBuilder,
        _: TableIndex,
        _: TypeIndex,
        _: ir::SigRef,
        _: Value,
        _: &[Value],
    ) -> WasmResult<()> {
        unsupported("return_call_indirect")
    }

    fn translate_return_call_ref(
        &mut self,
        _: &mut FunctionBuilder,
        _: ir::SigRef,
        _: Value,
        _: &[Value],
    ) -> WasmResult<()> {
        unsupported("return_call_ref")
    }

    fn translate_return_call(
        &mut self,
        _: &mut FunctionBuilder,
        _: FuncIndex,
        _: ir::FuncRef,
        _: &[Value],
    ) -> WasmResult<()> {
        unsupported("return_call")
    }

    fn translate_call_ref(
        &mut self,
        _: &mut FunctionBuilder,
        _: ir::SigRef,
        _: Value,
        _: &[Value],
    ) -> WasmResult<ir::Inst> {
        unsupported("call_ref")
    }

    fn translate_memory_grow(
        &mut self,
        mut pos: FuncCursor,
        index: MemoryIndex,
        _heap: Heap,
        delta: Value,
    ) -> WasmResult<Value> {
        let index = Self::index_const(&mut pos, index.as_u32());
        Ok(self
            .libcall(&mut pos, Builtin::MemoryGrow, &[index, delta], Some(I32))
            .unwrap())
    }

    fn translate_memory_size(
        &mut self,
        mut pos: FuncCursor,
        index: MemoryIndex,
        _heap: Heap,
    ) -> WasmResult<Value> {
        let memory = self.load_vmctx_field(&mut pos, self.offsets.memory(index.as_u32()));
        let length = pos
            .ins()
            .load(I64, MemFlags::trusted(), memory, MEMORY_LENGTH);
        let pages = pos.ins().ushr_imm(length, 16);
        Ok(pos.ins().ireduce(I32, pages))
    }

    fn translate_memory_copy(
        &mut self,
        mut pos: FuncCursor,
        src_index: MemoryIndex,
        _src_heap: Heap,
        dst_index: MemoryIndex,
        _dst_heap: Heap,
        dst: Value,
        src: Value,
        len: Value,
    ) -> WasmResult<()> {
        let d = Self::index_const(&mut pos, dst_index.as_u32());
        let s = Self::index_const(&mut pos, src_index.as_u32());
        self.trapping_libcall(
            &mut pos,
            Builtin::MemoryCopy,
            &[d, s, dst, src, len],
            ir::TrapCode::HeapOutOfBounds,
        );
        Ok(())
    }

    fn translate_memory_fill(
        &mut self,
        mut pos: FuncCursor,
        index: MemoryIndex,
        _heap: Heap,
        dst: Value,
        val: Value,
        len: Value,
    ) -> WasmResult<()> {
        let index = Self::index_const(&mut pos, index.as_u32());
        self.trapping_libcall(
            &mut pos,
            Builtin::MemoryFill,
            &[index, dst, val, len],
            ir::TrapCode::HeapOutOfBounds,
        );
        Ok(())
    }

    fn translate_memory_init(
        &mut self,
        mut pos: FuncCursor,
        index: MemoryIndex,
        _heap: Heap,
        seg_index: u32,
        dst: Value,
        src: Value,
        len: Value,
    ) -> WasmResult<()> {
        let index = Self::index_const(&mut pos, index.as_u32());
        let seg = Self::index_const(&mut pos, seg_index);
        self.trapping_libcall(
            &mut pos,
            Builtin::MemoryInit,
            &[index, seg, dst, src, len],
            ir::TrapCode::HeapOutOfBounds,
        );
        Ok(())
    }

    fn translate_data_drop(&mut self, mut pos: FuncCursor, seg_index: u32) -> WasmResult<()> {
        let seg = Self::index_const(&mut pos, seg_index);
        self.libcall(&mut pos, Builtin::DataDrop, &[seg], None);
        Ok(())
    }

    fn translate_table_size(&mut self, mut pos: FuncCursor, index: TableIndex) -> WasmResult<Value> {
        let table = self.load_vmctx_field(&mut pos, self.offsets.table(index.as_u32()));
        let length = pos.ins().load(I64, MemFlags::trusted(), table, TABLE_LENGTH);
        Ok(pos.ins().ireduce(I32, length))
    }

    fn translate_table_grow(
        &mut self,
        mut pos: FuncCursor,
        table_index: TableIndex,
        delta: Value,
        init_value: Value,
    ) -> WasmResult<Value> {
        let index = Self::index_const(&mut pos, table_index.as_u32());
        Ok(self
            .libcall(
                &mut pos,
                Builtin::TableGrow,
                &[index, delta, init_value],
                Some(I32),
            )
            .unwrap())
    }

    fn translate_table_get(
        &mut self,
        builder: &mut FunctionBuilder,
        table_index: TableIndex,
        index: Value,
    ) -> WasmResult<Value> {
        let mut pos = builder.cursor();
        let entry = self.table_entry(&mut pos, table_index, index);
        Ok(pos.ins().load(I64, MemFlags::trusted(), entry, 0))
    }

    fn translate_table_set(
        &mut self,
        builder: &mut FunctionBuilder,
        table_index: TableIndex,
        value: Value,
        index: Value,
    ) -> WasmResult<()> {
        let mut pos = builder.cursor();
        let entry = self.table_entry(&mut pos, table_index, index);
        pos.ins().store(MemFlags::trusted(), value, entry, 0);
        Ok(())
    }

    fn translate_table_copy(
        &mut self,
        mut pos: FuncCursor,
        dst_table_index: TableIndex,
        src_table_index: TableIndex,
        dst: Value,
        src: Value,
        len: Value,
    ) -> WasmResult<()> {
        let d = Self::index_const(&mut pos, dst_table_index.as_u32());
        let s = Self::index_const(&mut pos, src_table_index.as_u32());
        self.trapping_libcall(
            &mut pos,
            Builtin::TableCopy,
            &[d, s, dst, src, len],
            ir::TrapCode::TableOutOfBounds,
        );
        Ok(())
    }

    fn translate_table_fill(
        &mut self,
        mut pos: FuncCursor,
        table_index: TableIndex,
        dst: Value,
        val: Value,
        len: Value,
    ) -> WasmResult<()> {
        let index = Self::index_const(&mut pos, table_index.as_u32());
        self.trapping_libcall(
            &mut pos,
            Builtin::TableFill,
            &[index, dst, val, len],
            ir::TrapCode::TableOutOfBounds,
        );
        Ok(())
    }

    fn translate_table_init(
        &mut self,
        mut pos: FuncCursor,
        seg_index: u32,
        table_index: TableIndex,
        dst: Value,
        src: Value,
        len: Value,
    ) -> WasmResult<()> {
        let index = Self::index_const(&mut pos, table_index.as_u32());
        let seg = Self::index_const(&mut pos, seg_index);
        self.trapping_libcall(
            &mut pos,
            Builtin::TableInit,
            &[index, seg, dst, src, len],
            ir::TrapCode::TableOutOfBounds,
        );
        Ok(())
    }

    fn translate_elem_drop(&mut self, mut pos: FuncCursor, seg_index: u32) -> WasmResult<()> {
        let seg = Self::index_const(&mut pos, seg_index);
        self.libcall(&mut pos, Builtin::ElemDrop, &[seg], None);
        Ok(())
    }

    fn translate_ref_null(&mut self, mut pos: FuncCursor, _ty: WasmHeapType) -> WasmResult<Value> {
        Ok(pos.ins().iconst(I64, 0))
    }

    fn translate_ref_is_null(&mut self, mut pos: FuncCursor, value: Value) -> WasmResult<Value> {
        let is_null = pos.ins().icmp_imm(IntCC::Equal, value, 0);
        Ok(pos.ins().uextend(I32, is_null))
    }

    fn translate_ref_func(&mut self, mut pos: FuncCursor, func_index: FuncIndex) -> WasmResult<Value> {
        let vmctx = Self::vmctx(&pos);
        let offset = self.offsets.funcref(func_index.as_u32());
        Ok(pos.ins().iadd_imm(vmctx, offset as i64))
    }

    fn translate_custom_global_get(
        &mut self,
        _: &mut FunctionBuilder,
        _: GlobalIndex,
    ) -> WasmResult<Value> {
        unreachable!("every global lives in memory")
    }

    fn translate_custom_global_set(
        &mut self,
        _: &mut FunctionBuilder,
        _: GlobalIndex,
        _: Value,
    ) -> WasmResult<()> {
        unreachable!("every global lives in memory")
    }

    fn translate_atomic_wait(
        &mut self,
        _: FuncCursor,
        _: MemoryIndex,
        _: Heap,
        _: Value,
        _: Value,
        _: Value,
    ) -> WasmResult<Value> {
        unsupported("atomic.wait")
    }

    fn translate_atomic_notify(
        &mut self,
        _: FuncCursor,
        _: MemoryIndex,
        _: Heap,
        _: Value,
        _: Value,
    ) -> WasmResult<Value> {
        unsupported("atomic.notify")
    }

    fn translate_ref_i31(&mut self, _: FuncCursor, _: Value) -> WasmResult<Value> {
        unsupported("ref.i31")
    }

    fn translate_i31_get_s(&mut self, _: FuncCursor, _: Value) -> WasmResult<Value> {
        unsupported("i31.get_s")
    }

    fn translate_i31_get_u(&mut self, _: FuncCursor, _: Value) -> WasmResult<Value> {
        unsupported("i31.get_u")
    }

    /// The interrupt check of a loop waits for the operators after the header: when a call
    /// to one of the module's own functions comes before anything that could branch, every
    /// iteration makes that call, and the callee's entry checks (see
    /// `check_stack_and_interrupt`), so the loop needs no check of its own. A recursive
    /// kernel's loops are like that; compilers turn one of two recursive calls into a loop.
    /// Otherwise the check goes where the straight code from the header ends, which is as
    /// good as at the header itself.
    fn translate_loop_header(&mut self, builder: &mut FunctionBuilder) -> WasmResult<()> {
        self.fuel_check(builder);
        self.loop_check_pending = true;
        Ok(())
    }

    fn after_locals(&mut self, locals: usize) {
        // Variables 0.. are the wasm locals; the fuel variable comes after them.
        if let Some(fuel) = &mut self.fuel {
            fuel.var = Variable::from_u32(locals as u32);
        }
    }

    fn before_translate_operator(
        &mut self,
        op: &Operator,
        builder: &mut FunctionBuilder,
        state: &FuncTranslationState,
    ) -> WasmResult<()> {
        if self.loop_check_pending {
            use Operator as O;
            match op {
                O::Call { function_index } if *function_index >= self.info.imported_funcs => {
                    self.loop_check_pending = false;
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
                | O::CallIndirect { .. }
                | O::ReturnCall { .. }
                | O::ReturnCallIndirect { .. } => {
                    self.loop_check_pending = false;
                    if state.reachable() {
                        self.check_interrupt(builder);
                    }
                }
                _ => {}
            }
        }
        let Some(fuel) = &mut self.fuel else { return Ok(()) };
        if !state.reachable() {
            return Ok(());
        }
        use Operator as O;
        fuel.pending += match op {
            O::Nop | O::Drop | O::Block { .. } | O::Loop { .. } | O::Else | O::End | O::Return | O::Unreachable => 0,
            _ => 1,
        };
        let var = fuel.var;
        match op {
            // Control leaves the function: the counter must be in memory.
            O::Call { .. } | O::CallIndirect { .. } | O::Return | O::Unreachable => {
                self.fuel_flush(builder);
                self.fuel_save(builder, var);
            }
            // The basic block ends.
            O::Loop { .. } | O::If { .. } | O::Else | O::Br { .. } | O::BrIf { .. } | O::BrTable { .. } | O::End => {
                self.fuel_flush(builder)
            }
            _ => {}
        }
        Ok(())
    }

    fn after_translate_operator(
        &mut self,
        op: &Operator,
        builder: &mut FunctionBuilder,
        state: &FuncTranslationState,
    ) -> WasmResult<()> {
        if let Some(fuel) = &self.fuel {
            if state.reachable() && matches!(op, Operator::Call { .. } | Operator::CallIndirect { .. }) {
                // The callee consumed fuel, and the embedder may have added some.
                self.fuel_load(builder, fuel.var);
            }
        }
        Ok(())
    }

    fn after_translate_function(
        &mut self,
        builder: &mut FunctionBuilder,
        state: &FuncTranslationState,
    ) -> WasmResult<()> {
        if let Some(var) = self.fuel.as_ref().map(|f| f.var) {
            if state.reachable() {
                self.fuel_flush(builder);
                self.fuel_save(builder, var);
            }
        }
        Ok(())
    }

    fn before_translate_function(
        &mut self,
        builder: &mut FunctionBuilder,
        _state: &FuncTranslationState,
    ) -> WasmResult<()> {
        self.check_stack_and_interrupt(builder);
        if let Some(var) = self.fuel.as_ref().map(|f| f.var) {
            builder.declare_var(var, I64);
            self.fuel_load(builder, var);
            self.fuel_check(builder);
        }
        Ok(())
    }
}

