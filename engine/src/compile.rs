//! Cranelift: the target, compiling functions, and laying them out in executable memory.

use crate::code::{CodeInfo, CodeMemory, TrapKind};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{self, ExternalName, LibCall};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa, TargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, FinalizedRelocTarget};
use std::sync::OnceLock;

/// The host's ISA, with the CPU features found at run time.
pub(crate) fn isa() -> &'static dyn TargetIsa {
    static ISA: OnceLock<OwnedTargetIsa> = OnceLock::new();
    &**ISA.get_or_init(|| {
        let mut flags = settings::builder();
        for (name, value) in [
            ("opt_level", "speed"),
            ("enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" }),
            // Stack overflow is caught by the stack limit checked in prologues.
            ("enable_probestack", "false"),
            // Libcalls are far from the code: call them through absolute addresses.
            ("use_colocated_libcalls", "false"),
            ("unwind_info", "false"),
            ("preserve_frame_pointers", "true"),
        ] {
            flags.set(name, value).expect("known cranelift setting");
        }
        cranelift_native::builder()
            .expect("this host is not supported by cranelift")
            .finish(settings::Flags::new(flags))
            .expect("cranelift ISA for this host")
    })
}

/// Wasm functions use the tail calling convention: it allows any number of results.
pub(crate) const WASM_CALL_CONV: CallConv = CallConv::Tail;

pub(crate) fn host_call_conv() -> CallConv {
    isa().default_call_conv()
}

/// One compiled function, before linking.
pub(crate) struct Compiled {
    pub bytes: Vec<u8>,
    pub traps: Vec<(u32, TrapKind)>,
    /// (offset, kind, callee's wasm function index or libcall, addend)
    pub relocs: Vec<(u32, Reloc, RelocTo, i64)>,
}

pub(crate) enum RelocTo {
    Function(u32),
    LibCall(LibCall),
}

pub(crate) fn compile(ctx: &mut Context) -> Result<Compiled, String> {
    let mut ctrl_plane = Default::default();
    let params = ctx.func.params.clone();
    let code = ctx
        .compile(isa(), &mut ctrl_plane)
        .map_err(|e| format!("code generation failed: {:?}", e.inner))?;
    let buffer = &code.buffer;
    let traps = buffer
        .traps()
        .iter()
        .map(|t| (t.offset, TrapKind::from_cranelift(t.code)))
        .collect();
    let mut relocs = Vec::new();
    for r in buffer.relocs() {
        let to = match &r.target {
            FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => {
                RelocTo::Function(params.user_named_funcs()[*name].index)
            }
            FinalizedRelocTarget::ExternalName(ExternalName::LibCall(lc)) => RelocTo::LibCall(*lc),
            other => return Err(format!("unexpected relocation target {other:?}")),
        };
        relocs.push((r.offset, r.kind, to, r.addend));
    }
    Ok(Compiled {
        bytes: buffer.data().to_vec(),
        traps,
        relocs,
    })
}

/// Places compiled functions one after the other in executable memory and resolves the calls
/// between them. Returns the memory and each function's offset in it.
///
/// `functions` are the module's defined functions, which come after its `imported_funcs`
/// imports in the function index space that relocations use.
pub(crate) fn link(
    functions: Vec<Compiled>,
    names: Vec<String>,
    imported_funcs: u32,
) -> Result<(CodeMemory, Vec<u32>), String> {
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity(functions.len());
    let mut traps = Vec::new();
    for f in &functions {
        while bytes.len() % 16 != 0 {
            bytes.push(0);
        }
        let at = bytes.len() as u32;
        offsets.push(at);
        bytes.extend_from_slice(&f.bytes);
        traps.extend(f.traps.iter().map(|&(off, kind)| (at + off, kind)));
    }
    let info = CodeInfo {
        traps,
        functions: offsets.iter().copied().zip(names).collect(),
    };
    let mut error = None;
    let code = CodeMemory::publish(&bytes, info, |buf, base| {
        for (f, &at) in functions.iter().zip(&offsets) {
            for (off, kind, to, addend) in &f.relocs {
                let site = (at + off) as usize;
                let target = match to {
                    // Only defined functions are called directly: imports are called
                    // through their funcref in the vmctx.
                    RelocTo::Function(index) => {
                        base + offsets[(index - imported_funcs) as usize] as usize
                    }
                    RelocTo::LibCall(lc) => match libcall_address(*lc) {
                        Some(a) => a,
                        None => {
                            error = Some(format!("unsupported libcall {lc:?}"));
                            return;
                        }
                    },
                };
                let value = (target as i64).wrapping_add(*addend);
                match kind {
                    Reloc::X86CallPCRel4 | Reloc::X86PCRel4 | Reloc::X86CallPLTRel4 => {
                        let rel = value.wrapping_sub((base + site) as i64) as i32;
                        buf[site..site + 4].copy_from_slice(&rel.to_le_bytes());
                    }
                    Reloc::Abs8 => buf[site..site + 8].copy_from_slice(&value.to_le_bytes()),
                    Reloc::Arm64Call => {
                        let rel = (value - (base + site) as i64) >> 2;
                        let ins = u32::from_le_bytes(buf[site..site + 4].try_into().unwrap());
                        let ins = (ins & 0xfc00_0000) | (rel as u32 & 0x03ff_ffff);
                        buf[site..site + 4].copy_from_slice(&ins.to_le_bytes());
                    }
                    other => {
                        error = Some(format!("unsupported relocation {other:?}"));
                        return;
                    }
                }
            }
        }
    })?;
    match error {
        Some(e) => Err(e),
        None => Ok((code, offsets)),
    }
}

fn libcall_address(lc: LibCall) -> Option<usize> {
    extern "C" fn ceil_f32(x: f32) -> f32 {
        x.ceil()
    }
    extern "C" fn ceil_f64(x: f64) -> f64 {
        x.ceil()
    }
    extern "C" fn floor_f32(x: f32) -> f32 {
        x.floor()
    }
    extern "C" fn floor_f64(x: f64) -> f64 {
        x.floor()
    }
    extern "C" fn trunc_f32(x: f32) -> f32 {
        x.trunc()
    }
    extern "C" fn trunc_f64(x: f64) -> f64 {
        x.trunc()
    }
    extern "C" fn nearest_f32(x: f32) -> f32 {
        x.round_ties_even()
    }
    extern "C" fn nearest_f64(x: f64) -> f64 {
        x.round_ties_even()
    }
    Some(match lc {
        LibCall::CeilF32 => ceil_f32 as *const () as usize,
        LibCall::CeilF64 => ceil_f64 as *const () as usize,
        LibCall::FloorF32 => floor_f32 as *const () as usize,
        LibCall::FloorF64 => floor_f64 as *const () as usize,
        LibCall::TruncF32 => trunc_f32 as *const () as usize,
        LibCall::TruncF64 => trunc_f64 as *const () as usize,
        LibCall::NearestF32 => nearest_f32 as *const () as usize,
        LibCall::NearestF64 => nearest_f64 as *const () as usize,
        _ => return None,
    })
}

/// A cranelift signature for a wasm function type: vmctx first, then the wasm parameters.
pub(crate) fn wasm_signature(ty: &crate::FuncType) -> ir::Signature {
    let mut sig = ir::Signature::new(WASM_CALL_CONV);
    sig.params
        .push(ir::AbiParam::special(ir::types::I64, ir::ArgumentPurpose::VMContext));
    sig.params
        .extend(ty.params().iter().map(|t| ir::AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(ty.results().iter().map(|t| ir::AbiParam::new(clif_type(*t))));
    sig
}

pub(crate) fn clif_type(ty: crate::ValType) -> ir::Type {
    use crate::ValType::*;
    match ty {
        I32 => ir::types::I32,
        I64 | FuncRef | ExternRef => ir::types::I64,
        F32 => ir::types::F32,
        F64 => ir::types::F64,
    }
}
