//! `Wasmer::Module`: a compiled module, independent of any store, instantiated any number
//! of times.

use crate::errors::{from_engine, type_error};
use crate::types;
use std::sync::atomic::{AtomicBool, Ordering};
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, TypedData, Value};

/// A compiled WebAssembly module.
///
/// @example
///   mod = Wasmer::Module.new(File.binread("sum.wasm"))
///   a = Wasmer::Instance.new(mod)
///   b = Wasmer::Instance.new(mod)
#[derive(TypedData)]
#[magnus(class = "Wasmer::Module", free_immediately, size)]
pub struct Module {
    pub inner: engine::Module,
}

impl magnus::DataTypeFunctions for Module {}

/// Compiles `bytes` (binary or WebAssembly text) through the process's module cache.
pub fn compile(ruby: &Ruby, bytes: RString) -> Result<engine::Module, Error> {
    // SAFETY: copied at once, before Ruby runs again.
    let bytes = unsafe { bytes.as_slice() }.to_vec();
    compile_owned(ruby, bytes)
}

/// Compiles with the GVL released: other Ruby threads run while a large module compiles, and
/// `Timeout`, `Thread#raise` or a signal stop the compile and raise as usual.
fn compile_owned(ruby: &Ruby, bytes: Vec<u8>) -> Result<engine::Module, Error> {
    let cancel = AtomicBool::new(false);
    let result = crate::helpers::nogvl::without_gvl(|| engine::embed::compile(&bytes, &cancel), &cancel);
    match result {
        Err(e) if cancel.load(Ordering::Relaxed) && e.trap_code() == Some(engine::TrapCode::Interrupt) => {
            // SAFETY: with the GVL; whatever Ruby raises stops at `protect`.
            magnus::rb_sys::protect(|| unsafe {
                rb_sys::rb_thread_check_ints();
                rb_sys::Qnil as rb_sys::VALUE
            })?;
            Err(crate::errors::wasmer_error(ruby, "compilation interrupted"))
        }
        result => result.map_err(|e| from_engine(ruby, e)),
    }
}

/// The module `source` stands for in a call of `method`: a `Wasmer::Module`, the bytes of
/// one (a String), or the path of a `.wasm` file (a Pathname or anything with `to_path`).
pub fn from_value(ruby: &Ruby, source: Value, method: &str) -> Result<engine::Module, Error> {
    if let Ok(m) = <&Module>::try_convert(source) {
        return Ok(m.inner.clone());
    }
    if let Some(bytes) = RString::from_value(source) {
        return compile(ruby, bytes);
    }
    if source.respond_to("to_path", false)? {
        let path: String = source.funcall("to_path", ())?;
        return compile_owned(ruby, read(ruby, &path, method)?);
    }
    Err(type_error(
        ruby,
        format!(
            "{method} expects a Wasmer::Module, a binary String or a Pathname, got {}",
            crate::convert::type_name(source)
        ),
    ))
}

/// The bytes of the file at `path`, read for `method`: an IOError naming both if it cannot be.
fn read(ruby: &Ruby, path: &str, method: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::new(ruby.exception_io_error(), format!("{method}: cannot read {path}: {e}")))
}

impl Module {
    /// Compiles the module in the file at `path` (binary, or WebAssembly text).
    ///
    /// @param path [String, Pathname]
    /// @return [Wasmer::Module]
    /// @raise [IOError] if the file cannot be read
    /// @raise [Wasmer::CompileError] if it is not a valid module
    /// @raise [TypeError] if path is neither a String nor a Pathname
    fn from_file(ruby: &Ruby, path: Value) -> Result<Module, Error> {
        let method = "Wasmer::Module.from_file";
        let path: String = match RString::from_value(path) {
            Some(s) => s.to_string()?,
            None if path.respond_to("to_path", false)? => path.funcall("to_path", ())?,
            None => {
                return Err(type_error(
                    ruby,
                    format!("{method} expects a path (a String or a Pathname), got {}", crate::convert::type_name(path)),
                ))
            }
        };
        Ok(Module {
            inner: compile_owned(ruby, read(ruby, &path, method)?)?,
        })
    }

    /// Compiles a module.
    ///
    /// @param bytes [String] the binary module (a String of bytes)
    /// @return [Wasmer::Module]
    /// @raise [Wasmer::CompileError] if the bytes are not a valid module
    /// @raise [TypeError] if bytes is not a String
    fn new(ruby: &Ruby, bytes: Value) -> Result<Module, Error> {
        let bytes = RString::from_value(bytes).ok_or_else(|| {
            type_error(
                ruby,
                format!(
                    "Wasmer::Module.new expects a binary String, got {}",
                    unsafe { bytes.classname() }
                ),
            )
        })?;
        Ok(Module {
            inner: compile(ruby, bytes)?,
        })
    }

    /// Whether the bytes are a valid module.
    ///
    /// @param bytes [String]
    /// @return [Boolean] false also for anything that is not a String
    fn validate(bytes: Value) -> bool {
        match RString::from_value(bytes) {
            Some(s) => engine::Module::validate(engine::embed::default_engine(), unsafe { s.as_slice() }).is_ok(),
            None => false,
        }
    }

    /// The compiled module as a binary String, for {Module.deserialize} in this process or
    /// another one running the same gem build on the same kind of CPU.
    ///
    /// @return [String]
    fn serialize(ruby: &Ruby, rb_self: &Self) -> RString {
        ruby.str_from_slice(&rb_self.inner.serialize())
    }

    /// The module {#serialize} made, without compiling it again. Only for bytes from a
    /// trusted source: they hold machine code that runs as it is (a checksum catches damage,
    /// not tampering).
    ///
    /// @param bytes [String]
    /// @return [Wasmer::Module]
    /// @raise [Wasmer::CompileError] not a serialized module, truncated or corrupted, or made
    ///   by another gem version or for another CPU (the message says which)
    fn deserialize(ruby: &Ruby, bytes: RString) -> Result<Module, Error> {
        // SAFETY: copied at once; the caller vouches for the bytes (documented above).
        let blob = unsafe { bytes.as_slice() }.to_vec();
        let module = unsafe { engine::Module::deserialize(engine::embed::default_engine(), &blob) };
        Ok(Module {
            inner: module.map_err(|e| from_engine(ruby, e))?,
        })
    }

    /// What the process's module cache has done so far.
    ///
    /// @return [Hash{Symbol => Integer}] :compiled, :memory_hits, :disk_hits
    fn cache_stats(ruby: &Ruby) -> Result<RHash, Error> {
        let stats = engine::embed::cache::stats();
        let hash = ruby.hash_new();
        hash.aset(ruby.to_symbol("compiled"), stats.compiled)?;
        hash.aset(ruby.to_symbol("memory_hits"), stats.memory_hits)?;
        hash.aset(ruby.to_symbol("disk_hits"), stats.disk_hits)?;
        Ok(hash)
    }

    /// The exports: name => type, in the module's order (PHP's `Module::exports()` has the
    /// same shape, with the types' texts).
    ///
    /// @return [Hash{String => Wasmer::FunctionType, Wasmer::MemoryType, Wasmer::GlobalType, Wasmer::TableType}]
    fn exports(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let hash = ruby.hash_new();
        for export in rb_self.inner.exports() {
            hash.aset(export.name.as_str(), types::extern_type(ruby, &export.ty)?)?;
        }
        Ok(hash)
    }

    /// The imports, in the module's order.
    ///
    /// @return [Array<Wasmer::ImportType>]
    fn imports(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let ary = ruby.ary_new();
        for import in rb_self.inner.imports() {
            ary.push(types::import_type(ruby, &import)?)?;
        }
        Ok(ary)
    }
}

/// Wasmer.cache_dir: the directory compiled modules are kept in across processes, or nil.
fn cache_dir() -> Option<String> {
    engine::embed::cache::cache_dir().map(|d| d.to_string_lossy().into_owned())
}

/// Wasmer.cache_dir = path (a String or Pathname; nil turns the disk cache off). Also set
/// from the environment variable WASMER_CACHE_DIR when the gem loads.
fn set_cache_dir(ruby: &Ruby, dir: Value) -> Result<Value, Error> {
    let path = if dir.is_nil() {
        None
    } else {
        Some(crate::helpers::path(dir)?.ok_or_else(|| {
            type_error(
                ruby,
                format!("Wasmer.cache_dir= expects a String, a Pathname or nil, got {}", crate::convert::type_name(dir)),
            )
        })?)
    };
    engine::embed::cache::set_cache_dir(path.map(Into::into));
    Ok(dir)
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Module", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", function!(Module::new, 1))?;
    class.define_singleton_method("from_file", function!(Module::from_file, 1))?;
    class.define_singleton_method("validate", function!(Module::validate, 1))?;
    class.define_singleton_method("deserialize", function!(Module::deserialize, 1))?;
    class.define_singleton_method("cache_stats", function!(Module::cache_stats, 0))?;
    class.define_method("serialize", method!(Module::serialize, 0))?;
    wasmer.define_singleton_method("cache_dir", function!(cache_dir, 0))?;
    wasmer.define_singleton_method("cache_dir=", function!(set_cache_dir, 1))?;
    if let Some(dir) = std::env::var_os("WASMER_CACHE_DIR").filter(|d| !d.is_empty()) {
        engine::embed::cache::set_cache_dir(Some(dir.into()));
    }
    class.define_method("exports", method!(Module::exports, 0))?;
    class.define_method("imports", method!(Module::imports, 0))?;
    Ok(())
}
