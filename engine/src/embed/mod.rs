//! What both language bindings share and neither language shapes: the process's default
//! engine, and (as the bindings converge on it) call plans, value rules and error wording.

use crate::engine::Engine;
use std::sync::OnceLock;

/// The engine a binding uses unless told otherwise: one per process, made on first use.
pub fn default_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}
