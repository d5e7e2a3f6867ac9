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
}

impl Default for Config {
    fn default() -> Config {
        Config {
            memory_mode: None,
            parallel_compilation: true,
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
    /// WebAssembly 2.0, without SIMD where `simd_refused` says why.
    features: WasmFeatures,
    simd_refused: Option<String>,
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
        let compiler = Compiler::new(memory_mode, config.parallel_compilation).map_err(Error::Resource)?;
        let simd_refused = compiler.simd_refusal();
        // WASM2 is the 2.0 spec's set, as in every wasmparser since 0.217: mutable-global,
        // saturating-float-to-int, sign-extension, reference-types, multi-value, bulk-memory
        // and simd, plus wasmparser's own `floats` and `gc-types` (which `externref` needs).
        // In 0.263 reference-types and bulk-memory each carry a sub-feature bit of their own
        // proposal (call-indirect-overlong, bulk-memory-opt); nothing beyond 2.0 is in it.
        let features = match simd_refused {
            None => WasmFeatures::WASM2,
            Some(_) => WasmFeatures::WASM2 & !WasmFeatures::SIMD,
        };
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
                simd_refused,
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

    /// Whether modules may use SIMD on this engine; if not, why (the CPU).
    pub fn simd(&self) -> std::result::Result<(), &str> {
        match &self.inner.simd_refused {
            None => Ok(()),
            Some(why) => Err(why),
        }
    }

    /// The wasm features modules may use with this engine.
    pub(crate) fn features(&self) -> WasmFeatures {
        self.inner.features
    }

    /// Adds why SIMD is off to the validator's refusal of a SIMD module, which otherwise only
    /// says that SIMD is not enabled.
    pub(crate) fn explain(&self, error: Error) -> Error {
        match (error, &self.inner.simd_refused) {
            (Error::Compile(message), Some(why)) if message.contains("SIMD support is not enabled") => {
                Error::Compile(format!("{message}: {why}"))
            }
            (error, _) => error,
        }
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

    /// An engine as one on a CPU where SIMD is refused would be.
    fn refusing_simd() -> Engine {
        let mut inner = Arc::try_unwrap(Engine::default().inner).ok().expect("a fresh engine");
        inner.simd_refused = Some("no SIMD on this CPU".into());
        inner.features.remove(WasmFeatures::SIMD);
        Engine { inner: Arc::new(inner) }
    }

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
        assert_eq!(refusing_simd().features(), expected - WasmFeatures::SIMD);
    }

    #[test]
    fn a_refused_simd_module_says_why() {
        let engine = refusing_simd();
        assert_eq!(engine.simd(), Err("no SIMD on this CPU"));
        assert_eq!(Engine::default().simd(), Ok(()), "this test machine has SSSE3");
        let in_body = wat::parse_str("(module (func (drop (v128.const i64x2 1 2))))").unwrap();
        let in_type = wat::parse_str("(module (func (param v128)))").unwrap();
        for bytes in [in_body, in_type] {
            let error = Module::new(&engine, &bytes).err().expect("refused").to_string();
            assert!(error.contains("SIMD support is not enabled") && error.contains("no SIMD on this CPU"), "{error}");
            let error = Module::validate(&engine, &bytes).unwrap_err().to_string();
            assert!(error.contains("no SIMD on this CPU"), "{error}");
        }
        let scalar = wat::parse_str("(module (func (result i32) i32.const 1))").unwrap();
        assert!(Module::new(&engine, &scalar).is_ok());
    }
}
