//! Turning engine errors into PHP exceptions, and carrying PHP failures (an exception, a
//! bailout) across wasm frames.

use crate::exception::{compile_error, exit, link_error, new_exception, trap, wasm_exception};
use crate::convert;
use crate::helpers::zend_api;
use engine::embed::convert::Mismatch;
use engine::embed::messages::Place;
use engine::ValType;
use ext_php_rs::types::Zval;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::ZendObject;
use ext_php_rs::zend::{ce, ClassEntry};

/// Something to raise in PHP once control is back in PHP: an exception object, or a bailout
/// (a fatal error, `exit` in old PHP versions, an out-of-memory) caught at the boundary of a
/// host function so that the wasm frames could unwind first.
pub enum Raise {
    Object(ZBox<ZendObject>),
    Bailout,
    /// PHP's own time limit ran out and stopped the wasm (or a compile): not an exception,
    /// which would only show up as an "Uncaught" warning before the fatal error, but the
    /// fatal error itself, raised at once as the VM would (at the line of the call).
    TimedOut,
}

impl Raise {
    pub fn new(ce: &'static ClassEntry, message: &str) -> Raise {
        Raise::Object(new_exception(ce, message))
    }

    /// Makes the exception pending (or bails out, which does not return).
    pub fn throw(self) {
        match self {
            Raise::Object(obj) => unsafe { zend_api::zend_throw_exception_internal(obj.into_raw()) },
            Raise::Bailout => unsafe { ext_php_rs::zend::bailout() },
            // SAFETY: what the VM calls when it sees the timeout; it bails out like a fatal
            // error, from here as from `Raise::Bailout`, with no wasm frame below.
            Raise::TimedOut => unsafe { zend_api::zend_timeout() },
        }
    }

    /// Throws and returns what a `PhpResult` method returns after throwing: the engine keeps
    /// the pending exception and ignores this placeholder.
    pub fn into_php(self) -> PhpException {
        self.throw();
        PhpException::from_message(String::new())
    }
}

impl From<Raise> for PhpException {
    fn from(r: Raise) -> Self {
        r.into_php()
    }
}

/// The `TypeError` (wrong kind of value) or `ValueError` (an int out of range, a string of
/// the wrong length for a v128) for the value `z` that did not convert to `ty` at `place`.
#[cold]
pub fn mismatch(place: Place<'_>, ty: ValType, m: Mismatch, z: &Zval) -> Raise {
    let class = match m {
        Mismatch::Type => ce::type_error(),
        Mismatch::Range | Mismatch::Length(_) | Mismatch::Store => ce::value_error(),
    };
    Raise::new(class, &convert::mismatch_message(place, ty, m, z))
}

/// An exception of class `ce`, thrown at once. Every exception of the extension is made
/// here: the message is set binary-safe (names from a module or from PHP may hold NUL
/// bytes, which ext-php-rs's own constructor refuses with an `\Error` of its own).
pub fn exception(ce: &'static ClassEntry, message: impl Into<String>) -> PhpException {
    Raise::new(ce, &message.into()).into_php()
}

pub fn wasm_exception(message: impl Into<String>) -> PhpException {
    exception(wasm_exception::ce(), message)
}

pub fn type_error(message: impl Into<String>) -> PhpException {
    exception(ce::type_error(), message)
}

pub fn value_error(message: impl Into<String>) -> PhpException {
    exception(ce::value_error(), message)
}

pub fn out_of_bounds(message: impl Into<String>) -> PhpException {
    exception(crate::exception::out_of_bounds_exception(), message)
}

/// The exception for an engine error. `context` (a path, an export) prefixes messages that
/// would not name it otherwise.
#[cold]
#[inline(never)]
pub fn raise(error: engine::Error) -> Raise {
    use engine::Error as E;
    match error {
        E::Compile(m) => Raise::new(compile_error::ce(), &format!("compile error: {m}")),
        e @ E::Link { .. } => Raise::new(link_error::ce(), &e.to_string()),
        // A signal handler that threw at a safepoint stopped this call: its exception it is.
        // Or PHP's time limit did.
        E::Trap(t) if t.code == engine::TrapCode::Interrupt => crate::helpers::safepoints::take_pending()
            .or_else(|| crate::helpers::running::timed_out().then_some(Raise::TimedOut))
            .unwrap_or_else(|| Raise::Object(trap::new(&t))),
        E::Trap(t) => Raise::Object(trap::new(&t)),
        E::Exit(status) => Raise::Object(exit::new(status)),
        e @ E::ArgumentCount { .. } => Raise::new(ce::argument_count_error(), &e.to_string()),
        e @ E::ArgumentType { .. } => Raise::new(ce::type_error(), &e.to_string()),
        E::ResultType(m) => Raise::new(ce::type_error(), &m),
        E::Usage(m) | E::Resource(m) => Raise::new(wasm_exception::ce(), &m),
        e @ E::StoreBusy => Raise::new(wasm_exception::ce(), &e.to_string()),
        E::Host(payload) => match payload.downcast::<Raise>() {
            Ok(r) => *r,
            Err(_) => Raise::new(wasm_exception::ce(), "a host function failed"),
        },
    }
}

/// The `PhpException` for an engine error, throwing it at once when it is an object of its
/// own (a trap, a rethrown exception) or a bailout.
pub fn php(error: engine::Error) -> PhpException {
    raise(error).into_php()
}
