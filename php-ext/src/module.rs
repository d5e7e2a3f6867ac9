//! `Wasm\Module`: a compiled module, independent of any store, instantiable many times.

use crate::errors::{self, Raise};
use crate::exception::compile_error;
use crate::instance::Instance;
use engine::ExternType;
use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const MAGIC: &[u8] = b"\0asm";

fn compile_error(message: String) -> PhpException {
    errors::exception(compile_error::ce(), message)
}

/// Compiles `bytes` (binary or text) through the process's module cache; `origin` (a path)
/// prefixes error messages.
pub fn compile(bytes: &[u8], origin: Option<&str>) -> PhpResult<engine::Module> {
    crate::helpers::cache::configure();
    let cancel = &crate::helpers::running::COMPILE_CANCEL;
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    engine::embed::compile(bytes, cancel).map_err(|e| match (e, origin) {
        (engine::Error::Compile(m), Some(path)) => compile_error(format!("{path}: compile error: {m}")),
        (engine::Error::Compile(m), None) => compile_error(format!("compile error: {m}")),
        (e, _) => Raise::into_php(errors::raise(e)),
    })
}

/// Reads the file at `path`.
pub fn read(path: &[u8]) -> PhpResult<Vec<u8>> {
    let shown = String::from_utf8_lossy(path);
    if path.is_empty() {
        return Err(compile_error("empty module: no bytes (an empty string is neither a path nor a module)".into()));
    }
    if path.contains(&0) {
        return Err(compile_error(format!(
            "not a WebAssembly module: no \\0asm header, and not a file path either ({} bytes)",
            path.len()
        )));
    }
    std::fs::read(OsStr::from_bytes(path))
        .map_err(|e| errors::wasm_exception(format!("cannot read the WebAssembly file `{shown}`: {e}")))
}

/// Compiles the file at `path`.
pub fn compile_file(path: &[u8]) -> PhpResult<engine::Module> {
    let bytes = read(path)?;
    compile(&bytes, Some(&String::from_utf8_lossy(path)))
}

/// Paths do not hold control characters, nor run over PATH_MAX.
fn looks_binary(s: &[u8]) -> bool {
    s.len() > 4096 || s.iter().any(|&b| b < 0x20 || b == 0x7f)
}

/// A module given as a path, as bytes (recognised by the `\0asm` header) or as text (a
/// string starting with `(`, blanks aside).
pub fn load(path_or_bytes: &[u8]) -> PhpResult<engine::Module> {
    if path_or_bytes.starts_with(MAGIC) || path_or_bytes.trim_ascii_start().starts_with(b"(") {
        compile(path_or_bytes, None)
    } else if looks_binary(path_or_bytes) {
        Err(compile_error(format!(
            "not a WebAssembly module: {} bytes without the \\0asm header, and not a file path",
            path_or_bytes.len()
        )))
    } else {
        compile_file(path_or_bytes)
    }
}

/// The module given as `Wasm\Module`, path or bytes to `function` (for the message).
pub fn from_zval(z: &Zval, function: &str) -> PhpResult<engine::Module> {
    let z = z.dereference();
    if let Some(m) = z.object().and_then(ZendClassObject::<Module>::from_zend_obj) {
        return Ok(m.module.clone());
    }
    match z.zend_str() {
        Some(bytes) => load(bytes.as_bytes()),
        _ => Err(errors::type_error(
            format!(
                "{function}(): Argument #1 ($pathOrBytesOrModule) must be of type Wasm\\Module|string, {} given",
                crate::convert::type_name(z)
            ),
        )),
    }
}

/// A compiled WebAssembly module.
#[php_class]
#[php(name = "Wasm\\Module")]
pub struct Module {
    module: engine::Module,
}

#[php_impl]
impl Module {
    /// Compiles a module given as a path to a `.wasm` file or as its bytes.
    pub fn __construct(pathOrBytes: BinarySlice<u8>) -> PhpResult<Self> {
        load(&pathOrBytes).map(Module::from_engine)
    }

    /// Compiles the `.wasm` file at `$path`.
    pub fn from_file(path: BinarySlice<u8>) -> PhpResult<Self> {
        compile_file(&path).map(Module::from_engine)
    }

    /// Compiles the module `$bytes`: binary, or WebAssembly text.
    pub fn from_bytes(bytes: BinarySlice<u8>) -> PhpResult<Self> {
        compile(&bytes, None).map(Module::from_engine)
    }

    /// The compiled module as bytes, for `Module::deserialize` in this process or another
    /// one running the same extension build on the same kind of CPU.
    pub fn serialize(&self) -> Binary<u8> {
        Binary::new(self.module.serialize())
    }

    /// The module `serialize` made, without compiling it again. Only for bytes from a
    /// trusted source: they hold machine code that runs as it is (a checksum catches
    /// damage, not tampering).
    pub fn deserialize(bytes: BinarySlice<u8>) -> PhpResult<Self> {
        // SAFETY: the caller vouches for the bytes (documented above and in the stub).
        let module = unsafe { engine::Module::deserialize(engine::embed::default_engine(), &bytes) };
        module
            .map(Module::from_engine)
            .map_err(|e| Raise::into_php(errors::raise(e)))
    }

    /// What the process's module cache has done: `['compiled' => n, 'memory_hits' => n,
    /// 'disk_hits' => n]`.
    pub fn cache_stats() -> PhpResult<ZBox<ZendHashTable>> {
        let stats = engine::embed::cache::stats();
        let mut table = ZendHashTable::new();
        table.insert("compiled", stats.compiled as i64)?;
        table.insert("memory_hits", stats.memory_hits as i64)?;
        table.insert("disk_hits", stats.disk_hits as i64)?;
        Ok(table)
    }

    /// Whether `$bytes` are a valid module this engine can run (without compiling it).
    pub fn validate(bytes: BinarySlice<u8>) -> bool {
        bytes.starts_with(MAGIC) && engine::Module::validate(engine::embed::default_engine(), &bytes).is_ok()
    }

    /// Instantiates the module in a new store.
    #[php(optional = imports)]
    pub fn instantiate(&self, imports: Option<&ZendHashTable>) -> PhpResult<Instance> {
        Instance::new(&self.module, imports, None, crate::instance::limits(None, None, None))
    }

    /// The exports: name => type, e.g. `"sum" => "func(i32, i32) -> i32"`.
    pub fn exports(&self) -> PhpResult<ZBox<ZendHashTable>> {
        export_types(&self.module)
    }

    /// The imports: a list of `['module' => ..., 'name' => ..., 'type' => ..., 'kind' => ...]`.
    pub fn imports(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut list = ZendHashTable::new();
        for import in self.module.imports() {
            let mut entry = ZendHashTable::new();
            entry.insert("module", import.module.as_str())?;
            entry.insert("name", import.name.as_str())?;
            entry.insert("type", import.ty.to_string())?;
            entry.insert("kind", kind(&import.ty))?;
            list.push(entry)?;
        }
        Ok(list)
    }
}

/// `module`'s exports: name => type text, in the module's order (Ruby's `Module#exports` has
/// the same shape, with type objects whose `to_s` is this text).
pub(crate) fn export_types(module: &engine::Module) -> PhpResult<ZBox<ZendHashTable>> {
    let mut table = ZendHashTable::new();
    for export in module.exports() {
        table.insert(export.name.as_str(), export.ty.to_string())?;
    }
    Ok(table)
}

fn kind(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Memory(_) => "memory",
        ExternType::Table(_) => "table",
        ExternType::Global(_) => "global",
    }
}

impl Module {
    pub(crate) fn from_engine(module: engine::Module) -> Module {
        Module { module }
    }
}

impl crate::helpers::debug_info::DebugInfo for Module {
    /// `imports` and `exports`, as `imports()` and `exports()` give them.
    fn debug_info(&self) -> ZBox<ZendHashTable> {
        let mut table = ZendHashTable::new();
        if let (Ok(imports), Ok(exports)) = (self.imports(), self.exports()) {
            let _ = table.insert("imports", imports);
            let _ = table.insert("exports", exports);
        }
        table
    }
}
