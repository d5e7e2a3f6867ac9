//! `Wasm\HostFunction`: a PHP callable given as an import with a say in how it is called.

use crate::errors;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

/// A callable to import, marked to receive a `Wasm\Caller` before the wasm arguments.
#[php_class]
#[php(name = "Wasm\\HostFunction")]
pub struct HostFunction {
    pub(crate) callable: Zval,
}

#[php_impl]
impl HostFunction {
    /// `$callable` called as `$callable(Wasm\Caller $caller, ...$wasmArguments)`.
    pub fn with_caller(callable: &Zval) -> PhpResult<Self> {
        if !callable.is_callable() {
            return Err(errors::type_error(format!(
                "Wasm\\HostFunction::withCaller(): Argument #1 ($callable) must be a valid callback, {} given",
                crate::convert::type_name(callable)
            )));
        }
        Ok(HostFunction {
            callable: callable.shallow_clone(),
        })
    }
}
