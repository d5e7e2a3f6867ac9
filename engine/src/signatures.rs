//! Function types interned process-wide: a type's id is what `call_indirect` compares, and
//! each type owns the two trampolines that cross between Rust and wasm code.

use crate::code::{CodeInfo, CodeMemory, HOST_ERROR_USER_CODE};
use crate::compile::{self, clif_type, host_call_conv, wasm_signature};
use crate::FuncType;
use cranelift_codegen::ir::{self, types::I64, InstBuilder, MemFlags};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

pub(crate) struct Signature {
    pub ty: FuncType,
    pub id: u64,
    entry: OnceLock<CodeMemory>,
    host: OnceLock<CodeMemory>,
}

/// `extern "C" fn(code, vmctx, values)`: calls a wasm function with arguments read from
/// `values` and writes its results back there.
pub(crate) type EntryTrampoline = *const u8;

struct Registry {
    by_type: HashMap<FuncType, &'static Signature>,
    by_id: Vec<&'static Signature>,
}

static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();

fn registry() -> &'static Mutex<Registry> {
    REGISTRY.get_or_init(|| {
        Mutex::new(Registry {
            by_type: HashMap::new(),
            by_id: Vec::new(),
        })
    })
}

pub(crate) fn intern(ty: &FuncType) -> &'static Signature {
    let mut reg = registry().lock().unwrap();
    if let Some(sig) = reg.by_type.get(ty) {
        return sig;
    }
    let sig: &'static Signature = Box::leak(Box::new(Signature {
        ty: ty.clone(),
        id: reg.by_id.len() as u64 + 1,
        entry: OnceLock::new(),
        host: OnceLock::new(),
    }));
    reg.by_type.insert(ty.clone(), sig);
    reg.by_id.push(sig);
    sig
}

pub(crate) fn by_id(id: u64) -> &'static Signature {
    registry().lock().unwrap().by_id[id as usize - 1]
}

impl Signature {
    pub fn entry_trampoline(&self) -> EntryTrampoline {
        self.entry
            .get_or_init(|| publish(entry_function(&self.ty)))
            .base()
    }

    /// Code with the wasm signature of this type that calls `host_dispatch(vmctx, values)`.
    pub fn host_trampoline(&self, host_dispatch: usize) -> *const u8 {
        self.host
            .get_or_init(|| publish(host_function(&self.ty, host_dispatch)))
            .base()
    }
}

fn publish(func: ir::Function) -> CodeMemory {
    let mut ctx = Context::for_function(func);
    let compiled = compile::compile(&mut ctx).expect("trampolines always compile");
    let info = CodeInfo {
        traps: compiled.traps.clone(),
        functions: Vec::new(),
    };
    CodeMemory::publish(&compiled.bytes, info, |_, _| {}).expect("code memory for a trampoline")
}

/// Trampolines are one straight block: start it and return the function's parameters.
fn single_block(b: &mut FunctionBuilder) -> Vec<ir::Value> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    b.block_params(block).to_vec()
}

fn entry_function(ty: &FuncType) -> ir::Function {
    let mut sig = ir::Signature::new(host_call_conv());
    sig.params.extend([ir::AbiParam::new(I64); 3]);
    let mut func = ir::Function::with_name_signature(Default::default(), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let [code, vmctx, values] = single_block(&mut b).try_into().unwrap();
    let flags = MemFlags::trusted();
    let mut args = vec![vmctx];
    for (i, &t) in ty.params().iter().enumerate() {
        args.push(b.ins().load(clif_type(t), flags, values, i as i32 * 8));
    }
    let callee = b.import_signature(wasm_signature(ty));
    let call = b.ins().call_indirect(callee, code, &args);
    let results = b.inst_results(call).to_vec();
    for (i, r) in results.into_iter().enumerate() {
        b.ins().store(flags, r, values, i as i32 * 8);
    }
    b.ins().return_(&[]);
    b.finalize();
    func
}

fn host_function(ty: &FuncType, host_dispatch: usize) -> ir::Function {
    let mut func = ir::Function::with_name_signature(Default::default(), wasm_signature(ty));
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let params = single_block(&mut b);
    let slots = ty.params().len().max(ty.results().len()).max(1) as u32;
    let slot = b.create_sized_stack_slot(ir::StackSlotData::new(
        ir::StackSlotKind::ExplicitSlot,
        slots * 8,
        3,
    ));
    let values = b.ins().stack_addr(I64, slot, 0);
    let flags = MemFlags::trusted();
    for (i, &p) in params[1..].iter().enumerate() {
        b.ins().store(flags, p, values, i as i32 * 8);
    }
    let mut dispatch_sig = ir::Signature::new(host_call_conv());
    dispatch_sig.params.extend([ir::AbiParam::new(I64); 2]);
    dispatch_sig.returns.push(ir::AbiParam::new(ir::types::I32));
    let dispatch_sig = b.import_signature(dispatch_sig);
    let target = b.ins().iconst(I64, host_dispatch as i64);
    let call = b.ins().call_indirect(dispatch_sig, target, &[params[0], values]);
    let status = b.inst_results(call)[0];
    b.ins()
        .trapnz(status, ir::TrapCode::User(HOST_ERROR_USER_CODE));
    let results: Vec<_> = ty
        .results()
        .iter()
        .enumerate()
        .map(|(i, &t)| b.ins().load(clif_type(t), flags, values, i as i32 * 8))
        .collect();
    b.ins().return_(&results);
    b.finalize();
    func
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.ty)
    }
}

