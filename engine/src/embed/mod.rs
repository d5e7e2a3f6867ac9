//! What both language bindings share and neither language shapes: the process's default
//! engine and its module cache ([`cache`], whose [`compile`] every binding compiles with), the
//! rules that turn host numbers into wasm values ([`convert`]), the call plan of a function and
//! its slot buffer ([`call`]), the table of host values wasm holds as externref
//! ([`externs`]), the limits an instance may be given ([`limits`]), the resolving
//! of a module's imports from what the binding was given ([`link`]), and the
//! wording of every message about a value ([`messages`]).
//! A binding keeps only the mapping of its own language's values and classes.

pub mod cache;
pub mod call;
pub mod convert;
pub mod externs;
pub mod limits;
pub mod link;
pub mod messages;
pub mod stack;

pub use cache::compile;

use crate::engine::Engine;
use std::sync::OnceLock;

/// The engine a binding uses unless told otherwise: one per process, made on first use, so
/// modules and stores of one process are always compatible.
pub fn default_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}
