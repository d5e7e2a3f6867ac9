//! What both language bindings share and neither language shapes. For now the process's
//! default engine: PHP and Ruby each compile every module with it, so modules and stores of
//! one process are always compatible.

use crate::engine::Engine;
use std::sync::OnceLock;

/// The engine a binding uses unless told otherwise: one per process, made on first use.
pub fn default_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}
