//! `Wasmer::Module`: a compiled module, independent of any store, instantiated any number
//! of times.

use crate::errors::{from_engine, type_error};
use crate::types;
use magnus::{function, method, prelude::*, Error, RArray, RModule, RString, Ruby, TypedData, Value};

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

/// Compiles the bytes of `bytes`.
pub fn compile(ruby: &Ruby, bytes: RString) -> Result<engine::Module, Error> {
    // The engine does not call Ruby while compiling: the borrowed bytes cannot change.
    let result = engine::Module::new(engine::embed::default_engine(), unsafe { bytes.as_slice() });
    result.map_err(|e| from_engine(ruby, e))
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
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::new(ruby.exception_io_error(), format!("{method}: cannot read {path}: {e}"))
        })?;
        return engine::Module::new(engine::embed::default_engine(), &bytes).map_err(|e| from_engine(ruby, e));
    }
    Err(type_error(
        ruby,
        format!(
            "{method} expects a Wasmer::Module, a binary String or a Pathname, got {}",
            crate::convert::type_name(source)
        ),
    ))
}

impl Module {
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
            Some(s) => engine::Module::validate(unsafe { s.as_slice() }).is_ok(),
            None => false,
        }
    }

    /// The exports, in the module's order.
    ///
    /// @return [Array<Wasmer::ExportType>]
    fn exports(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let ary = ruby.ary_new();
        for export in rb_self.inner.exports() {
            ary.push(types::export_type(ruby, &export)?)?;
        }
        Ok(ary)
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

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Module", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", function!(Module::new, 1))?;
    class.define_singleton_method("validate", function!(Module::validate, 1))?;
    class.define_method("exports", method!(Module::exports, 0))?;
    class.define_method("imports", method!(Module::imports, 0))?;
    Ok(())
}
