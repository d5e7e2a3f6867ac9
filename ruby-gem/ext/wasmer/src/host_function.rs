//! `Wasmer::HostFunction`: a Ruby callable given as an import with a say in how it is called.

use crate::errors::argument_error;
use magnus::{
    function, gc::Marker, prelude::*, value::Opaque, DataTypeFunctions, Error, RModule, Ruby, TypedData, Value,
};

/// A callable to import, marked to receive a {Wasmer::Caller} before the wasm arguments.
///
/// @example
///   imports = { "env" => { "log" => Wasmer::HostFunction.with_caller { |caller, ptr, len|
///     puts caller.memory.read(ptr, len)
///   } } }
#[derive(TypedData)]
#[magnus(class = "Wasmer::HostFunction", mark, free_immediately, size)]
pub struct HostFunction {
    pub(crate) callable: Opaque<Value>,
}

impl DataTypeFunctions for HostFunction {
    fn mark(&self, marker: &Marker) {
        marker.mark(self.callable);
    }
}

impl HostFunction {
    /// `callable` (or the block) called as `callable.call(caller, *wasm_arguments)`.
    ///
    /// @param callable [#call, nil]
    /// @return [Wasmer::HostFunction]
    fn with_caller(ruby: &Ruby, args: &[Value]) -> Result<HostFunction, Error> {
        let block = ruby.block_proc().ok().map(|p| p.as_value());
        let callable = match (args, block) {
            (&[callable], None) | ([], Some(callable)) => callable,
            _ => {
                return Err(argument_error(
                    ruby,
                    "Wasmer::HostFunction.with_caller: give a callable or a block",
                ))
            }
        };
        if !callable.respond_to("call", false)? {
            return Err(crate::errors::type_error(
                ruby,
                format!(
                    "Wasmer::HostFunction.with_caller: expected a Proc, a lambda or a Method, got {}",
                    crate::convert::type_name(callable)
                ),
            ));
        }
        Ok(HostFunction {
            callable: Opaque::from(callable),
        })
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("HostFunction", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("with_caller", function!(HostFunction::with_caller, -1))?;
    Ok(())
}
