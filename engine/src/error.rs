//! The one error type of the engine.

use std::any::Any;
use std::fmt;

/// Why a wasm call stopped abnormally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrapCode {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallToNull,
    BadSignature,
    IntegerOverflow,
    IntegerDivideByZero,
    BadConversionToInteger,
    StackOverflow,
    Interrupt,
    /// A call ran past the store's time limit (`Store::set_call_timeout`).
    Timeout,
    /// The store's fuel ran out (`Store::set_fuel`).
    OutOfFuel,
}

impl TrapCode {
    /// Every code, in the order of their numbers (`code as u8`).
    pub(crate) const ALL: [TrapCode; 12] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::IndirectCallToNull,
        TrapCode::BadSignature,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivideByZero,
        TrapCode::BadConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::Interrupt,
        TrapCode::Timeout,
        TrapCode::OutOfFuel,
    ];

    /// The stable snake_case name the bindings expose (`memory_out_of_bounds`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "memory_out_of_bounds",
            TrapCode::TableOutOfBounds => "table_out_of_bounds",
            TrapCode::IndirectCallToNull => "indirect_call_to_null",
            TrapCode::BadSignature => "bad_signature",
            TrapCode::IntegerOverflow => "integer_overflow",
            TrapCode::IntegerDivideByZero => "integer_divide_by_zero",
            TrapCode::BadConversionToInteger => "bad_conversion_to_integer",
            TrapCode::StackOverflow => "stack_overflow",
            TrapCode::Interrupt => "interrupt",
            TrapCode::Timeout => "timeout",
            TrapCode::OutOfFuel => "out_of_fuel",
        }
    }

    /// The wording of the spec test suite, used in messages.
    pub fn description(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable executed",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::IndirectCallToNull => "uninitialized element (indirect call to null)",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::Interrupt => "interrupted",
            TrapCode::Timeout => "call timed out",
            TrapCode::OutOfFuel => "all fuel consumed",
        }
    }
}

/// A trap: its code and, when known, the wasm function it happened in and the frames below.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub code: TrapCode,
    /// The function's name from the name section or its export, else `func[N]`.
    pub function: Option<String>,
    /// The frames of the wasm call stack when it trapped, innermost first (at most
    /// [`Trap::MAX_FRAMES`]); empty when the trap is not in wasm code.
    pub backtrace: Vec<Frame>,
}

/// One frame of a trap's backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The wasm function's index; `None` for a host function between wasm frames (wasm
    /// called an import, which called wasm again).
    pub func_index: Option<u32>,
    /// The function's name: the name section's, else an export's, else `func[N]`.
    pub name: Option<String>,
    /// The byte offset in the module of the instruction that trapped, or of the call the
    /// frame was in, when known.
    pub module_offset: Option<u32>,
}

impl Trap {
    /// The most frames a backtrace records.
    pub const MAX_FRAMES: usize = 32;
    /// The most frames a message shows.
    const SHOWN_FRAMES: usize = 10;

    /// A trap with no location.
    pub fn new(code: TrapCode) -> Trap {
        Trap {
            code,
            function: None,
            backtrace: Vec::new(),
        }
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.name, self.module_offset) {
            (None, _) => write!(f, "<host function>"),
            (Some(name), Some(offset)) => write!(f, "{offset:#6x} - {name}"),
            (Some(name), None) => write!(f, "       - {name}"),
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {} ({})", self.code.description(), self.code.as_str())?;
        if let Some(func) = &self.function {
            write!(f, " in function `{func}`")?;
        }
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().take(Self::SHOWN_FRAMES).enumerate() {
                write!(f, "\n  {i:>3}: {frame}")?;
            }
            if self.backtrace.len() > Self::SHOWN_FRAMES {
                write!(f, "\n    ... {} more frames", self.backtrace.len() - Self::SHOWN_FRAMES)?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong, with a message a user can act on.
pub enum Error {
    /// The bytes are not a valid module, or use a feature we do not run.
    Compile(String),
    /// An import is missing or of the wrong type.
    Link {
        module: String,
        field: String,
        message: String,
    },
    Trap(Trap),
    /// A call got the wrong number of arguments.
    ArgumentCount { expected: usize, given: usize },
    /// Argument `index` (0-based) is not of the `expected` type.
    ArgumentType { index: usize, expected: crate::ValType },
    /// A host function returned values that do not fit its declared results.
    ResultType(String),
    /// Anything else the embedder did wrong: growing past a maximum, setting an immutable
    /// global, an access outside a memory or table.
    Usage(String),
    /// Out of memory or address space.
    Resource(String),
    /// The program asked to end with this exit status (WASI's `proc_exit`): not a failure
    /// in itself; a runner such as `wasi::start` turns it into the program's status.
    Exit(i32),
    /// Another thread is using the store (running wasm in it, or reading its objects).
    StoreBusy,
    /// What a host function returned as its error, carried unchanged through the wasm frames.
    Host(Box<dyn Any>),
}

impl Error {
    pub fn host<T: Any>(payload: T) -> Error {
        Error::Host(Box::new(payload))
    }

    pub fn trap_code(&self) -> Option<TrapCode> {
        match self {
            Error::Trap(t) => Some(t.code),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(m) => write!(f, "compile error: {m}"),
            Error::Link {
                module,
                field,
                message,
            } => write!(f, "link error: import `{module}`.`{field}`: {message}"),
            Error::Trap(t) => t.fmt(f),
            Error::ArgumentCount { expected, given } => write!(
                f,
                "wrong number of arguments (given {given}, expected {expected})"
            ),
            Error::ArgumentType { index, expected } => {
                write!(f, "argument {} must be of type {expected}", index + 1)
            }
            Error::ResultType(m) => write!(f, "{m}"),
            Error::Usage(m) | Error::Resource(m) => f.write_str(m),
            Error::Exit(status) => write!(f, "the program exited with status {status}"),
            Error::StoreBusy => f.write_str(
                "the store is in use by another thread: wasm objects of one store are used by one thread at a time",
            ),
            Error::Host(_) => write!(f, "error raised by a host function"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
