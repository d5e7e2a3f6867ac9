//! A compiled module: its parsed sections, the compiler's artifact, and that artifact's code
//! loaded into executable memory.

use crate::artifact::Artifact;
use crate::engine::{Engine, Signature};
use crate::error::{Error, Result};
use crate::module_info::{self, ExportIndex, ImportKind, ModuleInfo};
use crate::types::*;
use crate::vm::code::CodeMemory;
use crate::vm::vmctx::VMOffsets;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use wasmparser::Validator;

pub(crate) struct ModuleInner {
    pub engine: Engine,
    /// The module's bytes, which `serialize` writes beside the code.
    pub bytes: Vec<u8>,
    pub info: Arc<ModuleInfo>,
    pub offsets: VMOffsets,
    pub artifact: Artifact,
    pub code: Arc<CodeMemory>,
    /// The same functions compiled with fuel metering, for stores with fuel: compiled on
    /// their first instantiation in such a store.
    metered: OnceLock<(Artifact, Arc<CodeMemory>)>,
    /// The engine's signature of each of the module's types, by type index.
    pub signatures: Vec<Arc<Signature>>,
}

impl ModuleInner {
    /// The code instances use: with fuel metering or without.
    pub fn code(&self, metered: bool) -> Result<(&Artifact, &Arc<CodeMemory>)> {
        if !metered {
            return Ok((&self.artifact, &self.code));
        }
        if self.metered.get().is_none() {
            let (info, bodies) = module_info::parse(&self.bytes, self.engine.features())?;
            let never = AtomicBool::new(false);
            let artifact = self.engine.compiler().compile_module(&info, bodies, true, &never)?;
            let code = CodeMemory::publish(&artifact).map_err(Error::Resource)?;
            // Another thread may have got there first: its code is the same.
            let _ = self.metered.set((artifact, Arc::new(code)));
        }
        let (artifact, code) = self.metered.get().expect("set above");
        Ok((artifact, code))
    }
}

/// A compiled module, cheap to clone, instantiable many times.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl Module {
    /// Parses, validates and compiles a binary module.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        static NEVER: AtomicBool = AtomicBool::new(false);
        Module::new_cancellable(engine, bytes, &NEVER)
    }

    /// [`Module::new`], stopped with an `interrupt` trap once `cancel` is set (from another
    /// thread or a signal handler: a time limit running out during a long compile).
    pub fn new_cancellable(engine: &Engine, bytes: &[u8], cancel: &AtomicBool) -> Result<Module> {
        let (info, bodies) = module_info::parse(bytes, engine.features())?;
        let artifact = engine.compiler().compile_module(&info, bodies, false, cancel)?;
        Module::load(engine, bytes.to_vec(), info, artifact)
    }

    /// The module of parsed `info` and compiled `artifact`, its code made executable.
    pub(crate) fn load(engine: &Engine, bytes: Vec<u8>, info: ModuleInfo, artifact: Artifact) -> Result<Module> {
        let code = CodeMemory::publish(&artifact).map_err(Error::Resource)?;
        let signatures: Vec<_> = info.types.iter().map(|t| engine.signature(t)).collect();
        // The entry trampolines of the exported functions' types, made now rather than on a
        // first call: compiling takes more stack than a call may have left (deep in a fiber).
        let mut exported: Vec<usize> = info
            .exports
            .iter()
            .filter_map(|(_, e)| match *e {
                ExportIndex::Func(i) => Some(info.funcs[i as usize] as usize),
                _ => None,
            })
            .collect();
        exported.sort_unstable();
        exported.dedup();
        for t in exported {
            engine.entry_trampoline(&signatures[t]);
        }
        Ok(Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                bytes,
                offsets: info.offsets(),
                info: Arc::new(info),
                artifact,
                code: Arc::new(code),
                metered: OnceLock::new(),
                signatures,
            }),
        })
    }

    /// Checks that `bytes` are a valid module `engine` can run, without compiling it.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<()> {
        let mut validator = Validator::new_with_features(engine.features());
        validator
            .validate_all(bytes)
            .map_err(|e| Error::Compile(e.to_string()))?;
        Ok(())
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The compiled code with its relocation, trap and function tables, as one byte string.
    /// It holds no address of the process that compiled it: the same bytes compiled by
    /// engines with the same [`Engine::cache_key`] give the same image.
    pub fn code_image(&self) -> Vec<u8> {
        self.inner.artifact.image()
    }

    pub fn imports(&self) -> Vec<ImportType> {
        let info = &self.inner.info;
        let (mut f, mut m, mut t, mut g) = (0, 0, 0, 0);
        info.imports
            .iter()
            .map(|imp| {
                let ty = match &imp.kind {
                    ImportKind::Func(_) => {
                        f += 1;
                        ExternType::Func(info.func_type(f - 1).clone())
                    }
                    ImportKind::Memory(_) => {
                        m += 1;
                        ExternType::Memory(info.memories[m - 1])
                    }
                    ImportKind::Table(_) => {
                        t += 1;
                        ExternType::Table(info.tables[t - 1])
                    }
                    ImportKind::Global(_) => {
                        g += 1;
                        ExternType::Global(info.globals[g - 1])
                    }
                };
                ImportType {
                    module: imp.module.clone(),
                    name: imp.name.clone(),
                    ty,
                }
            })
            .collect()
    }

    /// The export names, in the module's order, without building their types.
    pub fn export_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.inner.info.exports.iter().map(|(name, _)| name.as_str())
    }

    pub fn exports(&self) -> Vec<ExportType> {
        let info = &self.inner.info;
        info.exports
            .iter()
            .map(|(name, index)| ExportType {
                name: name.clone(),
                ty: match *index {
                    ExportIndex::Func(i) => ExternType::Func(info.func_type(i).clone()),
                    ExportIndex::Memory(i) => ExternType::Memory(info.memories[i as usize]),
                    ExportIndex::Table(i) => ExternType::Table(info.tables[i as usize]),
                    ExportIndex::Global(i) => ExternType::Global(info.globals[i as usize]),
                },
            })
            .collect()
    }
}
