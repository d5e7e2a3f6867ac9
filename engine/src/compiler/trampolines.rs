//! The two trampolines of each function type: into wasm from the host (entry), and from wasm
//! into a host function (host). Both pass values through 16-byte slots (`ValRaw`).

use super::{clif_type, wasm_signature, Compiler};
use crate::types::FuncType;
use crate::vm::vmctx::{HOST_DISPATCH, VAL_RAW_SIZE};
use cranelift_codegen::ir::{self, types::I64, InstBuilder, MemFlagsData};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Trampolines are one straight block: start it and return the function's parameters.
fn single_block(b: &mut FunctionBuilder) -> Vec<ir::Value> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    b.block_params(block).to_vec()
}

pub(super) fn entry(compiler: &Compiler, ty: &FuncType) -> ir::Function {
    let mut sig = ir::Signature::new(compiler.host_call_conv());
    sig.params.extend([ir::AbiParam::new(I64); 3]);
    let mut func = ir::Function::with_name_signature(Default::default(), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let [code, vmctx, values] = single_block(&mut b).try_into().unwrap();
    let flags = MemFlagsData::trusted();
    let mut args = vec![vmctx];
    for (i, &t) in ty.params().iter().enumerate() {
        args.push(b.ins().load(clif_type(t), flags, values, i as i32 * VAL_RAW_SIZE));
    }
    let callee = b.import_signature(wasm_signature(ty));
    let call = b.ins().call_indirect(callee, code, &args);
    let results = b.inst_results(call).to_vec();
    for (i, r) in results.into_iter().enumerate() {
        b.ins().store(flags, r, values, i as i32 * VAL_RAW_SIZE);
    }
    b.ins().return_(&[]);
    b.finalize(compiler.isa.frontend_config());
    func
}

pub(super) fn host(compiler: &Compiler, ty: &FuncType) -> ir::Function {
    let mut func = ir::Function::with_name_signature(Default::default(), wasm_signature(ty));
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let params = single_block(&mut b);
    let slots = ty.params().len().max(ty.results().len()).max(1) as u32;
    let slot = b.create_sized_stack_slot(ir::StackSlotData::new(
        ir::StackSlotKind::ExplicitSlot,
        slots * VAL_RAW_SIZE as u32,
        4,
    ));
    let values = b.ins().stack_addr(I64, slot, 0);
    let flags = MemFlagsData::trusted();
    for (i, &p) in params[1..].iter().enumerate() {
        b.ins().store(flags, p, values, i as i32 * VAL_RAW_SIZE);
    }
    let mut dispatch_sig = ir::Signature::new(compiler.host_call_conv());
    dispatch_sig.params.extend([ir::AbiParam::new(I64); 3]);
    dispatch_sig.returns.push(ir::AbiParam::new(ir::types::I32));
    let dispatch_sig = b.import_signature(dispatch_sig);
    let target = b.ins().load(I64, flags, params[0], HOST_DISPATCH);
    // Our frame pointer: where a backtrace taken in wasm the host function calls finds the
    // wasm that called it.
    let frame = b.ins().get_frame_pointer(I64);
    let call = b.ins().call_indirect(dispatch_sig, target, &[params[0], values, frame]);
    let status = b.inst_results(call)[0];
    b.ins()
        .trapnz(status, super::traps::HOST_ERROR);
    let results: Vec<_> = ty
        .results()
        .iter()
        .enumerate()
        .map(|(i, &t)| b.ins().load(clif_type(t), flags, values, i as i32 * VAL_RAW_SIZE))
        .collect();
    b.ins().return_(&results);
    b.finalize(compiler.isa.frontend_config());
    func
}

