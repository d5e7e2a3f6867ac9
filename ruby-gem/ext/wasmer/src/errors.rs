//! `Wasmer::Error` and its subclasses, and the mapping of engine errors onto Ruby exceptions.

use crate::convert;
use crate::root;
use engine::embed::convert::Mismatch;
use engine::embed::messages::{self, Place};
use engine::ValType;
use magnus::{
    class::RClass, exception::ExceptionClass, prelude::*, value::BoxValue, value::Lazy, Attr,
    Error, Exception, RModule, RObject, Ruby, Value,
};

/// Wasmer::Error < StandardError: everything the runtime itself reports.
static ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let class: RClass = root(ruby).const_get("Error").unwrap();
    ExceptionClass::from_value(class.as_value()).unwrap()
});
/// Wasmer::CompileError < Wasmer::Error: the bytes are not a valid module.
static COMPILE_ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let class: RClass = root(ruby).const_get("CompileError").unwrap();
    ExceptionClass::from_value(class.as_value()).unwrap()
});
/// Wasmer::LinkError < Wasmer::Error: an import is missing or of the wrong kind.
static LINK_ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let class: RClass = root(ruby).const_get("LinkError").unwrap();
    ExceptionClass::from_value(class.as_value()).unwrap()
});
/// Wasmer::Trap < Wasmer::Error: wasm code trapped.
static TRAP: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let class: RClass = root(ruby).const_get("Trap").unwrap();
    ExceptionClass::from_value(class.as_value()).unwrap()
});

/// Wasmer::Exit < Wasmer::Error: a WASI program called `proc_exit` in an export call.
static EXIT: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let class: RClass = root(ruby).const_get("Exit").unwrap();
    ExceptionClass::from_value(class.as_value()).unwrap()
});

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let base = wasmer.define_error("Error", ruby.exception_standard_error())?;
    wasmer.define_error("CompileError", base)?;
    let link = wasmer.define_error("LinkError", base)?;
    // @return [String, nil] the module name of the import that failed to link
    link.define_attr("module_name", Attr::Read)?;
    // @return [String, nil] the field name of the import that failed to link
    link.define_attr("field_name", Attr::Read)?;
    let trap = wasmer.define_error("Trap", base)?;
    // @return [Symbol] the trap code (:unreachable, :memory_out_of_bounds, ...)
    trap.define_attr("code", Attr::Read)?;
    // @return [String, nil] the wasm function the trap happened in
    trap.define_attr("function", Attr::Read)?;
    // @return [Array<Wasmer::Frame>] the wasm call stack when it trapped, innermost first
    //   (at most 32 frames; the message shows the first 10)
    trap.define_attr("wasm_backtrace", Attr::Read)?;
    let exit = wasmer.define_error("Exit", base)?;
    // @return [Integer] the status the program gave proc_exit
    exit.define_attr("status", Attr::Read)?;
    // Found now, not on first use: a lazy lookup takes a lock while calling Ruby, and two
    // threads making their first instances at once deadlocked on it (one waiting for the
    // lock, holding the GVL; the other waiting for the GVL, holding the lock).
    for class in [&ERROR, &COMPILE_ERROR, &LINK_ERROR, &TRAP, &EXIT] {
        Lazy::force(class, ruby);
    }
    Ok(())
}

/// A `Wasmer::Error` with `message`.
pub fn wasmer_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.get_inner(&ERROR), message.into())
}

pub fn compile_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.get_inner(&COMPILE_ERROR), message.into())
}

pub fn type_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.exception_type_error(), message.into())
}

pub fn range_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.exception_range_error(), message.into())
}

pub fn index_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.exception_index_error(), message.into())
}

pub fn argument_error(ruby: &Ruby, message: impl Into<String>) -> Error {
    Error::new(ruby.exception_arg_error(), message.into())
}

/// The `TypeError` (wrong kind of object), `RangeError` (an Integer out of range) or
/// `ArgumentError` (a String of the wrong length for a v128) for the object `v` that did not
/// convert to `ty` at `place`.
#[cold]
pub fn mismatch_error(ruby: &Ruby, place: Place<'_>, ty: ValType, m: Mismatch, v: Value) -> Error {
    let message = messages::mismatch(place, ty, m, &convert::type_name(v), v.inspect());
    match m {
        Mismatch::Type => type_error(ruby, message),
        Mismatch::Range => range_error(ruby, message),
        Mismatch::Length(_) | Mismatch::Store => argument_error(ruby, message),
    }
}

/// A `Wasmer::LinkError` for the import `module`.`field`.
pub fn link_error(ruby: &Ruby, module: &str, field: &str, message: &str) -> Error {
    let build = || -> Result<Exception, Error> {
        let exc = ruby
            .get_inner(&LINK_ERROR)
            .new_instance((engine::Error::Link {
                module: module.to_owned(),
                field: field.to_owned(),
                message: message.to_owned(),
            }
            .to_string(),))?;
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@module_name", module)?;
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@field_name", field)?;
        Ok(exc)
    };
    match build() {
        Ok(exc) => exc.into(),
        Err(e) => e,
    }
}

/// A `Wasmer::Trap` for `trap`, with the engine's message (it names the trap and the function).
pub fn trap_error(ruby: &Ruby, trap: &engine::Trap) -> Error {
    let build = || -> Result<Exception, Error> {
        let exc = ruby.get_inner(&TRAP).new_instance((trap.to_string(),))?;
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@code", ruby.to_symbol(trap.code.as_str()))?;
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@function", trap.function.as_deref())?;
        let frames = ruby.ary_new_capa(trap.backtrace.len());
        for frame in &trap.backtrace {
            frames.push(crate::types::frame(ruby, frame)?)?;
        }
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@wasm_backtrace", frames)?;
        Ok(exc)
    };
    match build() {
        Ok(exc) => exc.into(),
        Err(e) => e,
    }
}

/// A `Wasmer::Exit` for `proc_exit(status)`.
pub fn exit_error(ruby: &Ruby, status: i32) -> Error {
    let build = || -> Result<Exception, Error> {
        let exc = ruby.get_inner(&EXIT).new_instance((engine::Error::Exit(status).to_string(),))?;
        RObject::from_value(exc.as_value()).unwrap().ivar_set("@status", status)?;
        Ok(exc)
    };
    match build() {
        Ok(exc) => exc.into(),
        Err(e) => e,
    }
}

/// What a host function (a Ruby callable) raised or threw, on its way through the wasm
/// frames to the export call that will resume it. While the exception object sits in the
/// Rust heap its address is registered with the GC.
pub struct HostError {
    error: Error,
    _guard: Option<BoxValue<Value>>,
}

impl HostError {
    pub fn new(error: Error) -> HostError {
        let guard = error.value().map(BoxValue::new);
        HostError {
            error,
            _guard: guard,
        }
    }

    pub fn into_engine(error: Error) -> engine::Error {
        engine::Error::host(HostError::new(error))
    }

    /// The error, back on a stack where the GC sees it.
    pub fn into_error(self) -> Error {
        let HostError { error, _guard } = self;
        drop(_guard);
        error
    }
}

/// The Ruby exception for an engine error. `Host` errors give back what the Ruby callable
/// raised (or the `throw`/`break` it did), unchanged.
pub fn from_engine(ruby: &Ruby, error: engine::Error) -> Error {
    match error {
        engine::Error::Host(payload) => match payload.downcast::<HostError>() {
            Ok(host) => {
                let HostError { error, _guard } = *host;
                // The exception is on our stack from here on, where the GC sees it.
                drop(_guard);
                error
            }
            Err(_) => wasmer_error(ruby, "a host function failed"),
        },
        engine::Error::Trap(trap) => {
            if trap.code == engine::TrapCode::Interrupt {
                // Stopped at a safepoint where Ruby raised (Thread#raise, Timeout, a
                // signal): that is what the call raises.
                if let Some(raised) = crate::helpers::safepoints::take_pending() {
                    return raised;
                }
            }
            trap_error(ruby, &trap)
        }
        engine::Error::Exit(status) => exit_error(ruby, status),
        engine::Error::Compile(_) => compile_error(ruby, error.to_string()),
        engine::Error::Link {
            ref module,
            ref field,
            ref message,
        } => link_error(ruby, module, field, message),
        engine::Error::ArgumentCount { .. } => argument_error(ruby, error.to_string()),
        engine::Error::ArgumentType { .. } | engine::Error::ResultType(_) => {
            type_error(ruby, error.to_string())
        }
        engine::Error::StoreBusy => match crate::helpers::safepoints::take_pending() {
            // Ruby raised while this thread waited for the store (see `safepoints::wait`).
            Some(raised) => raised,
            None => wasmer_error(ruby, error.to_string()),
        },
        engine::Error::Usage(_) | engine::Error::Resource(_) => wasmer_error(ruby, error.to_string()),
    }
}
