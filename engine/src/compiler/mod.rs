//! The compiler: the one part of the engine that knows Cranelift. It turns a parsed module
//! (or a function type, for trampolines) into an [`Artifact`]: machine code and its tables,
//! with no address of this process in it. Generated code reaches everything else through
//! the vmctx (see `vm::vmctx`), whose layout it takes from `vm`.

mod trampolines;
mod translate;
mod traps;

use crate::artifact::{TRAMPOLINE, Artifact, FloatLibcall, RelocKind, Relocation, TrapKind};
use crate::error::{Error, Trap, TrapCode};
use crate::module_info::{FunctionInput, ModuleInfo};
use crate::types::{FuncType, ValType};
use crate::vm::memory::MemoryMode;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{self, ExternalName, LibCall};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, FinalizedRelocTarget};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use translate::{Env, FuncTranslator};
use wasmparser::{FuncToValidate, FunctionBody, ValidatorResources};

/// The Cranelift release the engine is built with (pinned in Cargo.toml); part of the cache
/// key, since another release may generate other code.
pub(crate) const CRANELIFT_VERSION: &str = "0.135";

/// Wasm functions use the tail calling convention, which returns as many values in registers
/// as the platform has (any number, with `enable_multi_ret_implicit_sret`).
const WASM_CALL_CONV: CallConv = CallConv::Tail;

/// Cranelift for the host, with the CPU features found at run time or the baseline's.
pub(crate) struct Compiler {
    isa: OwnedTargetIsa,
    memory_mode: MemoryMode,
    /// Compile a module's functions on all cores (see `compile_module`).
    parallel: bool,
    /// Check the interrupt flag in loops (see `translate::safepoints`).
    loop_checks: bool,
}

impl Compiler {
    pub fn new(memory_mode: MemoryMode, parallel: bool, native_cpu_features: bool, loop_checks: bool) -> Result<Compiler, String> {
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
            // Results past the return registers go through a return area Cranelift adds to
            // the signature. Its layout is Cranelift's own, not a platform ABI's; only code
            // it generates (wasm functions and their trampolines) ever sees it.
            ("enable_multi_ret_implicit_sret", "true"),
        ] {
            flags.set(name, value).map_err(|e| format!("cranelift setting {name}: {e}"))?;
        }
        let isa = cranelift_native::builder_with_options(native_cpu_features)
            .map_err(|e| format!("this host is not supported by cranelift: {e}"))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| format!("cranelift ISA for this host: {e}"))?;
        Ok(Compiler {
            isa,
            memory_mode,
            parallel,
            loop_checks,
        })
    }

    /// The target and every code generation setting, CPU features included: code compiled
    /// under one description runs only where the description is the same.
    pub fn description(&self) -> String {
        let interrupts = if self.loop_checks { "loop checks" } else { "signals" };
        let mut text = format!("{}; {}; interrupts by {interrupts}", self.isa.triple(), self.isa.flags());
        for flag in self.isa.isa_flags() {
            text.push_str(&format!("; {flag}"));
        }
        text
    }

    pub(crate) fn host_call_conv(&self) -> CallConv {
        self.isa.default_call_conv()
    }

    /// Translates, compiles and links every defined function of a module: on all cores when
    /// there are enough functions to share out. Functions are taken one at a time from a
    /// shared counter (sizes vary a lot), and linked in index order, so the artifact is the
    /// same whatever the number of threads.
    ///
    /// With `metered`, the code counts fuel as it runs (see `environ`); without, it has no
    /// trace of fuel at all. Setting `cancel` (from any thread, or a signal handler) stops
    /// the compilation at the next function with an `interrupt` trap.
    pub fn compile_module(
        &self,
        info: &ModuleInfo,
        bodies: Vec<FunctionInput<'_>>,
        metered: bool,
        cancel: &AtomicBool,
    ) -> Result<Artifact, Error> {
        let offsets = info.offsets();
        let job = Job {
            compiler: self,
            env: Env {
                info,
                offsets: &offsets,
                memory_mode: self.memory_mode,
                metered,
                loop_checks: self.loop_checks,
                host_call_conv: self.host_call_conv(),
                frontend: self.isa.frontend_config(),
            },
            cancel,
        };
        let compiled = self.compile_functions(&job, bodies);
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Trap(Trap::new(TrapCode::Interrupt)));
        }
        let names = (info.imported_funcs..info.funcs.len() as u32)
            .map(|i| (i, info.display_name(i)))
            .collect();
        link(compiled?, names, info.imported_funcs).map_err(Error::Compile)
    }

    /// The functions of `job`, compiled in index order.
    fn compile_functions(&self, job: &Job<'_>, bodies: Vec<FunctionInput<'_>>) -> Result<Vec<Compiled>, Error> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = if !self.parallel || bodies.len() < PARALLEL_FROM {
            1
        } else {
            threads.min(bodies.len())
        };
        let compiled = if threads == 1 {
            let mut worker = Worker::default();
            let mut out = Vec::with_capacity(bodies.len());
            for (i, (func, body)) in bodies.into_iter().enumerate() {
                out.push(worker.compile(job, i, func, body).map_err(Error::Compile)?);
            }
            out
        } else {
            let count = bodies.len();
            let inputs: Vec<Mutex<Option<FunctionInput<'_>>>> =
                bodies.into_iter().map(|b| Mutex::new(Some(b))).collect();
            let next = AtomicUsize::new(0);
            let mut results: Vec<Option<Result<Compiled, String>>> = (0..count).map(|_| None).collect();
            let done = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut worker = Worker::default();
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                if i >= count {
                                    break mine;
                                }
                                let taken = inputs[i].lock().unwrap_or_else(|e| e.into_inner()).take();
                                let Some((func, body)) = taken else { continue };
                                let result = worker.compile(job, i, func, body);
                                let failed = result.is_err();
                                mine.push((i, result));
                                if failed {
                                    // Later functions are not needed: the first error wins.
                                    next.store(count, Ordering::Relaxed);
                                }
                            }
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join()).collect::<Vec<_>>()
            });
            for batch in done {
                let batch = batch.map_err(|_| Error::Compile("a compiler thread panicked".into()))?;
                for (i, result) in batch {
                    results[i] = Some(result);
                }
            }
            // In index order: the first failing function is the one reported, as serially.
            let mut out = Vec::with_capacity(count);
            for result in results {
                match result {
                    Some(r) => out.push(r.map_err(Error::Compile)?),
                    None => break,
                }
            }
            if out.len() != count {
                return Err(Error::Compile("a function was not compiled".into()));
            }
            out
        };
        Ok(compiled)
    }

    /// `extern "C" fn(code, vmctx, values)`: calls a wasm function of type `ty` with the
    /// arguments read from the 16-byte slots at `values`, and writes its results back there.
    pub fn entry_trampoline(&self, ty: &FuncType) -> Artifact {
        self.trampoline(trampolines::entry(self, ty))
    }

    /// Code with the wasm signature of `ty` that stores its arguments in slots and calls the
    /// `dispatch` function of the `VMHostContext` it gets as vmctx.
    pub fn host_trampoline(&self, ty: &FuncType) -> Artifact {
        self.trampoline(trampolines::host(self, ty))
    }

    fn trampoline(&self, func: ir::Function) -> Artifact {
        let mut ctx = Context::for_function(func);
        let compiled = self.compile(&mut ctx).expect("trampolines always compile");
        link(vec![compiled], vec![(TRAMPOLINE, String::new())], 0).expect("trampolines link")
    }

    fn compile(&self, ctx: &mut Context) -> Result<Compiled, String> {
        let mut ctrl_plane = Default::default();
        let params = ctx.func.params.clone();
        let code = ctx
            .compile(&*self.isa, &mut ctrl_plane)
            .map_err(|e| format!("code generation failed: {:?}", e.inner))?;
        let buffer = &code.buffer;
        let traps = buffer
            .traps()
            .iter()
            .map(|t| Ok((t.offset, traps::kind(t.code)?)))
            .collect::<Result<_, String>>()?;
        let mut relocs = Vec::new();
        for r in buffer.relocs() {
            let to = match &r.target {
                FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => {
                    RelocTo::Function(params.user_named_funcs()[*name].index)
                }
                FinalizedRelocTarget::ExternalName(ExternalName::LibCall(lc)) => {
                    RelocTo::Libcall(float_libcall(*lc)?)
                }
                other => return Err(format!("unexpected relocation target {other:?}")),
            };
            relocs.push((r.offset, reloc_kind(r.kind)?, to, r.addend));
        }
        // Where each trap site and each call's return address is in the module: the wasm
        // operator's byte offset the translator set as source location.
        let srclocs = buffer.get_srclocs_sorted();
        let position = |at: u32| {
            let i = srclocs.partition_point(|l| l.end <= at);
            srclocs.get(i).filter(|l| l.start <= at && !l.loc.is_default()).map(|l| l.loc.bits())
        };
        let traps_at = buffer.traps().iter().filter_map(|t| Some((t.offset, position(t.offset)?)));
        // A return address is just past its call instruction.
        let returns_to = buffer.call_sites().filter_map(|c| Some((c.ret_addr, position(c.ret_addr - 1)?)));
        let mut sites: Vec<(u32, u32)> = traps_at.chain(returns_to).collect();
        sites.sort_unstable();
        sites.dedup_by_key(|s| s.0);
        Ok(Compiled {
            bytes: buffer.data().to_vec(),
            traps,
            relocs,
            sites,
        })
    }
}

/// Modules with fewer defined functions are compiled on the calling thread: starting
/// threads would cost more than it saves.
const PARALLEL_FROM: usize = 16;

/// The largest frame a function may allocate before its entry compares the stack pointer
/// with the limit. The check comes after the prologue, which may already have written to the
/// frame, and a failed check calls the `safepoint` builtin from the frame's bottom: both stay,
/// with the outgoing arguments (at most 16 KiB), well within the 192 KiB the runtime keeps
/// below the limit (`vm::traps::STACK_RESERVE`).
/// Larger frames are rare; their prologue checks the limit too, before it allocates.
const UNCHECKED_FRAME_MAX: u32 = 16 * 1024;

/// What every function of one module is compiled with.
struct Job<'a> {
    compiler: &'a Compiler,
    env: Env<'a>,
    cancel: &'a AtomicBool,
}

/// What one compiling thread reuses from function to function.
struct Worker {
    translator: FuncTranslator,
    ctx: Context,
    allocs: wasmparser::FuncValidatorAllocations,
}

impl Default for Worker {
    fn default() -> Worker {
        Worker {
            translator: FuncTranslator::default(),
            ctx: Context::new(),
            allocs: Default::default(),
        }
    }
}

impl Worker {
    /// Validates, translates and compiles defined function `i`. The error is the message of a
    /// compile error (an `Error` cannot cross threads).
    fn compile(
        &mut self,
        job: &Job<'_>,
        i: usize,
        func: FuncToValidate<ValidatorResources>,
        body: FunctionBody<'_>,
    ) -> Result<Compiled, String> {
        if job.cancel.load(Ordering::Relaxed) {
            // Any error stops the other functions; `compile_module` reports the cancel.
            return Err("cancelled".into());
        }
        let info = job.env.info;
        let index = info.imported_funcs + i as u32;
        let mut validator = func.into_validator(std::mem::take(&mut self.allocs));
        let ctx = &mut self.ctx;
        ctx.clear();
        ctx.func.signature = wasm_signature(info.func_type(index));
        ctx.func.name = ir::UserFuncName::user(0, index);
        let translator = &mut self.translator;
        guarded(info, index, || translator.translate(&job.env, index, &mut validator, &body, &mut ctx.func))?;
        let mut compiled = job.compiler.compile(ctx)?;
        let frame_size = ctx.compiled_code().and_then(|c| c.buffer.frame_layout()).map(|l| l.frame_to_fp_offset);
        if frame_size.is_some_and(|size| size > UNCHECKED_FRAME_MAX) {
            translate::check_stack_in_prologue(&mut ctx.func);
            compiled = job.compiler.compile(ctx)?;
        }
        self.allocs = validator.into_allocations();
        Ok(compiled)
    }
}

/// Runs the translation of function `index`, turning a panic in it into a compile error: a
/// bug in the translator must refuse the module, not take the process down.
fn guarded(info: &ModuleInfo, index: u32, translate: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(translate)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!(
            "{}: internal error in the translator ({what}); please report it",
            info.describe_func(index)
        ))
    })
}

/// One compiled function, before linking.
struct Compiled {
    bytes: Vec<u8>,
    traps: Vec<(u32, TrapKind)>,
    /// (code offset, module offset) of trap sites and return addresses.
    sites: Vec<(u32, u32)>,
    /// (offset, kind, target, addend)
    relocs: Vec<(u32, RelocKind, RelocTo, i64)>,
}

enum RelocTo {
    /// A wasm function index.
    Function(u32),
    Libcall(FloatLibcall),
}

/// Places compiled functions one after the other and resolves the calls between them, which
/// are relative to the code itself. What remains are the libcall relocations, resolved when
/// the code is loaded.
///
/// `functions` are the module's defined functions, which come after its `imported_funcs`
/// imports in the function index space that relocations use.
fn link(functions: Vec<Compiled>, names: Vec<(u32, String)>, imported_funcs: u32) -> Result<Artifact, String> {
    let mut code = Vec::new();
    let mut offsets = Vec::with_capacity(functions.len());
    let mut traps = Vec::new();
    let mut sites = Vec::new();
    for f in &functions {
        while code.len() % 16 != 0 {
            code.push(0);
        }
        let at = code.len() as u32;
        offsets.push(at);
        code.extend_from_slice(&f.bytes);
        traps.extend(f.traps.iter().map(|&(off, kind)| (at + off, kind)));
        sites.extend(f.sites.iter().map(|&(off, position)| (at + off, position)));
    }
    let mut relocs = Vec::new();
    for (f, &at) in functions.iter().zip(&offsets) {
        for &(off, kind, ref to, addend) in &f.relocs {
            let site = at + off;
            match *to {
                // Only defined functions are called directly: imports are called through
                // their funcref in the vmctx.
                RelocTo::Function(index) => {
                    let target = offsets[(index - imported_funcs) as usize] as i64 + addend;
                    let rel = target - site as i64;
                    let s = site as usize;
                    match kind {
                        RelocKind::X86PcRel4 => {
                            code[s..s + 4].copy_from_slice(&(rel as i32).to_le_bytes())
                        }
                        RelocKind::Arm64Call => {
                            let ins = u32::from_le_bytes(code[s..s + 4].try_into().unwrap());
                            let ins = (ins & 0xfc00_0000) | ((rel >> 2) as u32 & 0x03ff_ffff);
                            code[s..s + 4].copy_from_slice(&ins.to_le_bytes());
                        }
                        RelocKind::Abs8 => {
                            return Err("absolute relocation to a wasm function".into())
                        }
                    }
                }
                RelocTo::Libcall(target) => relocs.push(Relocation {
                    offset: site,
                    kind,
                    target,
                    addend,
                }),
            }
        }
    }
    Ok(Artifact {
        code,
        relocs,
        traps,
        functions: offsets.into_iter().zip(names).map(|(at, (index, name))| (at, index, name)).collect(),
        sites,
    })
}

fn reloc_kind(kind: Reloc) -> Result<RelocKind, String> {
    Ok(match kind {
        Reloc::X86CallPCRel4 | Reloc::X86PCRel4 | Reloc::X86CallPLTRel4 => RelocKind::X86PcRel4,
        Reloc::Abs8 => RelocKind::Abs8,
        Reloc::Arm64Call => RelocKind::Arm64Call,
        other => return Err(format!("unsupported relocation {other:?}")),
    })
}

fn float_libcall(lc: LibCall) -> Result<FloatLibcall, String> {
    Ok(match lc {
        LibCall::CeilF32 => FloatLibcall::CeilF32,
        LibCall::CeilF64 => FloatLibcall::CeilF64,
        LibCall::FloorF32 => FloatLibcall::FloorF32,
        LibCall::FloorF64 => FloatLibcall::FloorF64,
        LibCall::TruncF32 => FloatLibcall::TruncF32,
        LibCall::TruncF64 => FloatLibcall::TruncF64,
        LibCall::NearestF32 => FloatLibcall::NearestF32,
        LibCall::NearestF64 => FloatLibcall::NearestF64,
        other => return Err(format!("unsupported libcall {other:?}")),
    })
}

/// A cranelift signature for a wasm function type: vmctx first, then the wasm parameters.
fn wasm_signature(ty: &FuncType) -> ir::Signature {
    let mut sig = ir::Signature::new(WASM_CALL_CONV);
    sig.params
        .push(ir::AbiParam::special(ir::types::I64, ir::ArgumentPurpose::VMContext));
    sig.params
        .extend(ty.params().iter().map(|t| ir::AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(ty.results().iter().map(|t| ir::AbiParam::new(clif_type(*t))));
    sig
}

fn clif_type(ty: ValType) -> ir::Type {
    use ValType::*;
    match ty {
        I32 => ir::types::I32,
        I64 | FuncRef | ExternRef => ir::types::I64,
        F32 => ir::types::F32,
        F64 => ir::types::F64,
        V128 => ir::types::I8X16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of `stack_overflow` trap sites in each function of `text`.
    fn overflow_sites(text: &str) -> Vec<usize> {
        let bytes = wat::parse_str(text).unwrap();
        let module = crate::Module::new(&crate::Engine::default(), &bytes).unwrap();
        let artifact = &module.inner.artifact;
        let starts: Vec<u32> = artifact.functions.iter().map(|f| f.0).collect();
        let mut sites = vec![0; starts.len()];
        for &(offset, kind) in &artifact.traps {
            if matches!(kind, TrapKind::Wasm(crate::TrapCode::StackOverflow)) {
                sites[starts.partition_point(|&s| s <= offset) - 1] += 1;
            }
        }
        sites
    }

    /// A function whose frame is larger than `UNCHECKED_FRAME_MAX` gets the prologue's check
    /// besides the one after it; others only the latter.
    #[test]
    fn only_huge_frames_are_checked_in_the_prologue() {
        let live = 4000; // values live across the call, each in a spill slot
        let mut huge = String::new();
        for i in 0..live {
            huge.push_str(&format!("(f64.add (local.get 0) (f64.const {i}))\n"));
        }
        huge.push_str("(call $huge (local.get 0))\n");
        huge.push_str(&"f64.add\n".repeat(live));
        let text = format!(
            "(module (func $small (param f64) (result f64) (call $small (local.get 0)))
                     (func $huge (param f64) (result f64) {huge}))"
        );
        // The prologue's check of a large frame is two sites (the limit plus the frame size
        // may overflow too).
        let sites = overflow_sites(&text);
        assert!(sites[0] == 1 && sites[1] > 1, "{sites:?}");
    }

    /// Compiles `text` with the validator accepting `features`, which may be more than the
    /// engine's, so that the translator meets operators it does not lower.
    fn compile_with(text: &str, features: wasmparser::WasmFeatures) -> Result<Artifact, Error> {
        let bytes = wat::parse_str(text).unwrap();
        let (info, bodies) = crate::module_info::parse(&bytes, features).unwrap();
        let compiler = Compiler::new(MemoryMode::Dynamic, false, true, true).unwrap();
        compiler.compile_module(&info, bodies, false, &AtomicBool::new(false))
    }

    #[test]
    fn an_operator_the_translator_lacks_is_a_compile_error_naming_it() {
        let features = wasmparser::WasmFeatures::WASM2 | wasmparser::WasmFeatures::TAIL_CALL;
        let text = r#"(module (func $f (export "again") (result i32) (return_call $f)))"#;
        let Err(error) = compile_with(text, features) else { panic!("compiled") };
        let error = error.to_string();
        assert!(error.contains("function 0 `f`") && error.contains("ReturnCall"), "{error}");
        assert!(error.contains("not supported"), "{error}");
    }

    #[test]
    fn a_panic_while_translating_is_a_compile_error() {
        let bytes = wat::parse_str(r#"(module (func (export "f")))"#).unwrap();
        let (info, _) = crate::module_info::parse(&bytes, wasmparser::WasmFeatures::WASM2).unwrap();
        let error = guarded(&info, 0, || panic!("lost the stack")).unwrap_err();
        assert!(error.contains("function 0 `f`") && error.contains("lost the stack"), "{error}");
        assert!(error.contains("internal error in the translator"), "{error}");
    }

    #[test]
    fn an_invalid_body_names_the_function_and_the_offset() {
        let bytes = wat::parse_str(r#"(module (func (export "g") (result i32) i64.const 1))"#).unwrap();
        let error = crate::Module::new(&crate::Engine::default(), &bytes).err().expect("refused").to_string();
        assert!(error.contains("function 0 `g`") && error.contains("type mismatch"), "{error}");
        assert!(error.contains("at offset 0x"), "{error}");
    }
}
