//! The engine: a compiler configured for this host, and the registry of function types shared
//! by every store and module made with it. All that was once process-wide state lives here,
//! so two engines with different configurations can live in one process.

use crate::artifact::Artifact;
use crate::compiler::{Compiler, CRANELIFT_VERSION};
use crate::error::{Error, Result};
use crate::types::FuncType;
use crate::vm::code::CodeMemory;
use crate::vm::memory::MemoryMode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use wasmparser::WasmFeatures;

/// How an engine compiles and runs code.
#[derive(Clone, Debug)]
pub struct Config {
    memory_mode: Option<MemoryMode>,
    parallel_compilation: bool,
    native_cpu_features: bool,
    signal_interrupts: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            memory_mode: None,
            parallel_compilation: true,
            native_cpu_features: true,
            signal_interrupts: true,
        }
    }
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    /// Whether a module's functions are compiled on all cores (the default) or on the
    /// calling thread only. The code is the same either way.
    pub fn parallel_compilation(&mut self, on: bool) -> &mut Config {
        self.parallel_compilation = on;
        self
    }

    /// Whether code uses every feature of this CPU (the default), or only the architecture's
    /// baseline (SSE2 on x86-64), so that it runs on any machine of the architecture: for a
    /// module cache shared by a fleet of mixed machines, at some cost in SIMD code.
    pub fn native_cpu_features(&mut self, on: bool) -> &mut Config {
        self.native_cpu_features = on;
        self
    }

    /// Whether a thread running wasm is stopped by a signal (the default, where supported:
    /// Linux on x86-64) or by a check of the interrupt flag at every loop iteration. With
    /// signals loops carry no check at all: whoever sets the flag also signals the thread,
    /// and the signal handler, finding the thread in a wasm function, resumes it in a stub
    /// that runs the safepoint. Either way interrupts, timeouts and safepoint hooks behave
    /// the same.
    pub fn signal_interrupts(&mut self, on: bool) -> &mut Config {
        self.signal_interrupts = on;
        self
    }

    /// How memory accesses are kept in bounds. By default, `Static` (guard regions, no
    /// checks in generated code) where the process can reserve 6 GiB of address space per
    /// memory, else `Dynamic` (explicit checks).
    pub fn memory_mode(&mut self, mode: MemoryMode) -> &mut Config {
        self.memory_mode = Some(mode);
        self
    }
}

/// A compiler and the function types it knows. Cheap to clone; modules and stores keep theirs.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    memory_mode: MemoryMode,
    compiler: Compiler,
    cache_key: String,
    features: WasmFeatures,
    signatures: Mutex<Signatures>,
}

/// Function types interned per engine: a type's id is what `call_indirect` compares (through
/// the vmctx, so that ids stay out of compiled code).
#[derive(Default)]
struct Signatures {
    by_type: HashMap<FuncType, Arc<Signature>>,
    by_id: Vec<Arc<Signature>>,
}

/// A function type of an engine, with its two trampolines, compiled when first needed.
pub(crate) struct Signature {
    pub ty: FuncType,
    pub id: u64,
    /// `ty.is_numeric()`, kept for `call_raw`'s check on the call path.
    pub numeric: bool,
    entry: OnceLock<CodeMemory>,
    host: OnceLock<CodeMemory>,
}

impl Engine {
    pub fn new(config: &Config) -> Result<Engine> {
        let memory_mode = config.memory_mode.unwrap_or_else(MemoryMode::probe);
        crate::vm::preempt::install();
        let loop_checks = !(config.signal_interrupts && crate::vm::preempt::SUPPORTED);
        let compiler = Compiler::new(memory_mode, config.parallel_compilation, config.native_cpu_features, loop_checks)
            .map_err(Error::Resource)?;
        // WASM2 is the 2.0 spec's set, as in every wasmparser since 0.217: mutable-global,
        // saturating-float-to-int, sign-extension, reference-types, multi-value, bulk-memory
        // and simd, plus wasmparser's own `floats` and `gc-types` (which `externref` needs).
        // In 0.263 reference-types and bulk-memory each carry a sub-feature bit of their own
        // proposal (call-indirect-overlong, bulk-memory-opt); nothing beyond 2.0 is in it.
        let features = WasmFeatures::WASM2;
        let cache_key = format!(
            "wasm-engine {}; cranelift {CRANELIFT_VERSION}; {}; features {:#x}; memory {memory_mode:?}",
            env!("CARGO_PKG_VERSION"),
            compiler.description(),
            features.bits(),
        );
        Ok(Engine {
            inner: Arc::new(EngineInner {
                memory_mode,
                compiler,
                cache_key,
                features,
                signatures: Mutex::default(),
            }),
        })
    }

    /// What compiled code depends on: the engine and Cranelift versions, the target with its
    /// CPU features and code generation flags, the wasm features and the memory mode. Code
    /// compiled by an engine with another key must not run under this one.
    pub fn cache_key(&self) -> &str {
        &self.inner.cache_key
    }

    pub fn memory_mode(&self) -> MemoryMode {
        self.inner.memory_mode
    }

    /// The wasm features modules may use with this engine.
    pub(crate) fn features(&self) -> WasmFeatures {
        self.inner.features
    }

    pub(crate) fn compiler(&self) -> &Compiler {
        &self.inner.compiler
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    fn signatures(&self) -> std::sync::MutexGuard<'_, Signatures> {
        self.inner.signatures.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn signature(&self, ty: &FuncType) -> Arc<Signature> {
        let mut sigs = self.signatures();
        if let Some(sig) = sigs.by_type.get(ty) {
            return sig.clone();
        }
        let sig = Arc::new(Signature {
            ty: ty.clone(),
            id: sigs.by_id.len() as u64 + 1,
            numeric: ty.is_numeric(),
            entry: OnceLock::new(),
            host: OnceLock::new(),
        });
        sigs.by_type.insert(ty.clone(), sig.clone());
        sigs.by_id.push(sig.clone());
        sig
    }

    /// The signature with id `id`, which generated code of this engine holds.
    pub(crate) fn signature_by_id(&self, id: u64) -> Arc<Signature> {
        self.signatures().by_id[id as usize - 1].clone()
    }

    /// The entry trampoline of `sig`: `extern "C" fn(code, vmctx, values)`.
    #[inline]
    pub(crate) fn entry_trampoline(&self, sig: &Signature) -> *const u8 {
        sig.entry
            .get_or_init(|| publish(&self.compiler().entry_trampoline(&sig.ty)))
            .base()
    }

    /// The host trampoline of `sig`, which host functions of its type use as their code.
    pub(crate) fn host_trampoline(&self, sig: &Signature) -> *const u8 {
        sig.host
            .get_or_init(|| publish(&self.compiler().host_trampoline(&sig.ty)))
            .base()
    }
}

impl Signature {
    /// Whether `code` is this type's host trampoline, the code of every host function.
    pub fn is_host_code(&self, code: *const u8) -> bool {
        self.host.get().is_some_and(|c| c.base() == code)
    }
}

impl Default for Engine {
    /// An engine with the default configuration.
    ///
    /// # Panics
    /// When Cranelift does not support this host.
    fn default() -> Engine {
        Engine::new(&Config::default()).expect("an engine for this host")
    }
}

fn publish(artifact: &Artifact) -> CodeMemory {
    CodeMemory::publish(artifact).expect("code memory for a trampoline")
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.inner.cache_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Module;

    /// Exactly WebAssembly 2.0 with SIMD: a wasmparser whose WASM2 grew would show here.
    #[test]
    fn the_features_are_webassembly_2_with_simd() {
        let expected = WasmFeatures::MUTABLE_GLOBAL
            | WasmFeatures::SATURATING_FLOAT_TO_INT
            | WasmFeatures::SIGN_EXTENSION
            | WasmFeatures::REFERENCE_TYPES
            | WasmFeatures::MULTI_VALUE
            | WasmFeatures::BULK_MEMORY
            | WasmFeatures::SIMD
            | WasmFeatures::FLOATS
            | WasmFeatures::GC_TYPES;
        assert_eq!(Engine::default().features(), expected);
    }

    /// Cranelift 0.112 miscompiled `f64x2.splat` of a loaded value on x86-64 without SSSE3
    /// (GHSA-qqfj-4vcm-26hv), so SIMD was refused there. 0.135 lowers it right on SSE2 alone;
    /// so does every other SIMD operator, which the spec suite checks on this CPU.
    #[test]
    fn simd_runs_on_the_baseline_cpu() {
        let engine = Engine::new(Config::new().native_cpu_features(false)).unwrap();
        for feature in ["has_ssse3", "has_sse41", "has_avx"] {
            assert!(engine.cache_key().contains(&format!("{feature}=0")), "{}", engine.cache_key());
        }
        let bytes = wat::parse_str(
            r#"(module (memory 1) (data (i32.const 8) "\00\00\00\00\00\00\f8\3f")
                 (func (export "loaded") (result f64)
                   (f64x2.extract_lane 1 (f64x2.splat (f64.load (i32.const 8)))))
                 (func (export "copied") (param f64) (result i64)
                   (i64x2.extract_lane 0 (i64x2.add (i64x2.splat (i64.const 1))
                     (f64x2.splat (local.get 0))))))"#,
        )
        .unwrap();
        let module = Module::new(&engine, &bytes).unwrap();
        let store = crate::Store::new(&engine);
        let instance = crate::Instance::new(&store, &module, &[]).unwrap();
        let call = |name: &str, args: &[crate::Val]| instance.get_func(name).unwrap().call(args).unwrap();
        assert!(matches!(call("loaded", &[])[..], [crate::Val::F64(x)] if x == 1.5f64.to_bits()));
        let two = 2.0f64.to_bits();
        assert!(matches!(call("copied", &[crate::Val::F64(two)])[..], [crate::Val::I64(x)] if x == two as i64 + 1));
    }
}
