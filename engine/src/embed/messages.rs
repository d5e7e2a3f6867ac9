//! The wording of every message about a value that crosses between a language and wasm, one
//! text for both bindings. A binding supplies only its language's name for the type of the
//! value it was given (`string` in PHP, `String` in Ruby) and picks the exception class.

use super::convert::{int_range, Mismatch};
use crate::{Error, ExternType, ImportType, ValType};
use std::fmt;

pub use crate::memory::outside as outside_memory;

/// `index 7 is outside the table (2 elements)`, after the name of the method at fault.
pub fn outside_table(index: impl fmt::Display, size: u32) -> String {
    format!("index {index} is outside the table ({size} element{})", if size == 1 { "" } else { "s" })
}

/// A link error about `import`, formatted as the engine's own (`Error::Link`).
pub fn link_error(import: &ImportType, why: String) -> String {
    Error::Link {
        module: import.module.clone(),
        field: import.name.clone(),
        message: why,
    }
    .to_string()
}

/// Why `import` got no value: the imports have no entry for its module (`module_given`
/// false), or that entry none for its name.
pub fn missing_import(import: &ImportType, module_given: bool) -> String {
    let (kind, ty, module) = (import.ty.kind(), &import.ty, &import.module);
    if module_given {
        format!("missing {kind} {ty}: the `{module}` imports have no `{}` entry", import.name)
    } else {
        format!("missing {kind} {ty}: the imports have no `{module}` entry")
    }
}

/// Why the value given for an import of type `ty` cannot serve: `expected` is what would, in
/// the binding's words (`a callable`), `given` the name of what was given.
pub fn import_value(ty: &ExternType, expected: &str, given: &str) -> String {
    format!("expected {expected} for the {} {ty}, {given} given", ty.kind())
}

/// Why the export `name` of `owner` (`the module`, `the calling instance`) is not a `wanted`
/// (`function`, `global`...): `found` is the kind of the export of that name, if any.
pub fn export_mismatch(owner: &str, name: &str, found: Option<&str>, wanted: &str) -> String {
    match found {
        Some(kind) => format!("the export `{name}` is a {kind}, not a {wanted}"),
        None => format!("{owner} has no export named `{name}`"),
    }
}

/// Where a value was wrong.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    /// Argument `position` (1-based) of a call of `function`.
    Argument { function: &'a str, position: usize },
    /// What the host function `function` returned: result `position` (1-based) when it has
    /// several.
    Result { function: &'a str, position: Option<usize> },
    /// Anything else, named by the binding: ``global `counter` ``, `table element 3`.
    Value(&'a str),
}

impl Place<'_> {
    fn verb(&self) -> &'static str {
        match self {
            Place::Result { .. } => "returned",
            _ => "given",
        }
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Argument { function, position } => write!(f, "{function}(): argument #{position}"),
            Place::Result { function, position: None } => write!(f, "{function}(): return value"),
            Place::Result { function, position: Some(p) } => write!(f, "{function}(): return value #{p}"),
            Place::Value(what) => f.write_str(what),
        }
    }
}

/// `sum(): argument #1 must be of type i32, string given`.
#[cold]
pub fn type_mismatch(place: Place<'_>, ty: impl fmt::Display, given: &str) -> String {
    format!("{place} must be of type {ty}, {given} {}", place.verb())
}

/// `sum(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, 4294967296 given`.
#[cold]
pub fn out_of_range(place: Place<'_>, ty: ValType, value: impl fmt::Display) -> String {
    let (min, max) = int_range(ty).unwrap_or((0, 0));
    format!("{place} must be between {min} and {max} to fit in {ty}, {value} {}", place.verb())
}

/// `f(): argument #1 must be a string of 16 bytes to be a v128, a string of 3 bytes given`.
#[cold]
pub fn v128_length(place: Place<'_>, length: usize) -> String {
    let s = if length == 1 { "" } else { "s" };
    format!("{place} must be a string of 16 bytes to be a v128, a string of {length} byte{s} {}", place.verb())
}

/// The message for `mismatch`: `given` names the value's type, `value` shows it (only used
/// for a range error, where the value is an integer).
#[cold]
pub fn mismatch(place: Place<'_>, ty: ValType, m: Mismatch, given: &str, value: impl fmt::Display) -> String {
    match m {
        Mismatch::Type => type_mismatch(place, ty, given),
        Mismatch::Range => out_of_range(place, ty, value),
        Mismatch::Length(n) => v128_length(place, n),
        Mismatch::Store => format!("{place} must be a function of the same store, a function of another store {}", place.verb()),
    }
}

/// `sum(): expects exactly 2 arguments, 1 given`.
#[cold]
pub fn argument_count(function: &str, expected: usize, given: usize) -> String {
    let s = if expected == 1 { "" } else { "s" };
    format!("{function}(): expects exactly {expected} argument{s}, {given} given")
}

/// `a list of 1 value`, `a list of 3 values`: what a list is said to be in messages.
pub fn list_of(n: usize) -> String {
    format!("a list of {n} value{}", if n == 1 { "" } else { "s" })
}

/// For a host function with several results whose callable returned something else than a
/// list of as many values: `env.pair(): return value must be a list of 2 values (i32, i64),
/// int returned` (`given` is the language's type name, or [`list_of`] its length).
#[cold]
pub fn result_list(function: &str, types: &[ValType], given: &str) -> String {
    let names: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    format!("{function}(): return value must be {} ({}), {given} returned", list_of(types.len()), names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        let arg = Place::Argument { function: "sum", position: 2 };
        assert_eq!(type_mismatch(arg, ValType::I32, "string"), "sum(): argument #2 must be of type i32, string given");
        assert_eq!(
            out_of_range(arg, ValType::I32, 1u64 << 32),
            "sum(): argument #2 must be between -2147483648 and 4294967295 to fit in i32, 4294967296 given"
        );
        let ret = Place::Result { function: "env.f", position: None };
        assert_eq!(type_mismatch(ret, ValType::F64, "null"), "env.f(): return value must be of type f64, null returned");
        assert_eq!(
            v128_length(Place::Argument { function: "dot", position: 1 }, 3),
            "dot(): argument #1 must be a string of 16 bytes to be a v128, a string of 3 bytes given"
        );
        assert_eq!(argument_count("f", 1, 0), "f(): expects exactly 1 argument, 0 given");
        assert_eq!(
            result_list("env.p", &[ValType::I32, ValType::I64], "int"),
            "env.p(): return value must be a list of 2 values (i32, i64), int returned"
        );
    }
}
