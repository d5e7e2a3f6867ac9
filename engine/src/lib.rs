//! A WebAssembly 2.0 runtime: modules are compiled to native code with Cranelift and run
//! in-process, with traps caught and reported as errors.
//!
//! ```no_run
//! use engine::{Engine, Instance, Module, Store, Val};
//! let engine = Engine::default();
//! let store = Store::new(&engine);
//! let module = Module::new(&engine, &std::fs::read("sum.wasm").unwrap()).unwrap();
//! let instance = Instance::new(&store, &module, &[]).unwrap();
//! let sum = instance.get_func("sum").unwrap();
//! assert!(matches!(sum.call(&[Val::I32(5), Val::I32(37)]).unwrap()[..], [Val::I32(42)]));
//! ```
//!
//! Layers, each importing only those below it:
//! - the public API: `engine`, `store`, `module`, `instance`, `linker`, `func`, `memory`,
//!   `table`, `global`, `values`;
//! - `compiler/`, the only place that names Cranelift: module → [`artifact`] (plain data);
//! - `vm/`, the runtime contract generated code relies on;
//! - plain data shared by all: `module_info`, `artifact`, `types`, `error`;
//! - beside them, on the public API only: `embed/` (what the bindings share) and `wasi/`
//!   (WASI preview 1 as host functions).
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod artifact;
mod call;
pub mod embed;
mod compiler;
mod deadline;
mod engine;
mod error;
mod exports;
mod func;
mod global;
mod host;
mod instance;
mod linker;
mod memory;
mod module;
mod module_info;
mod safepoints;
mod serialize;
mod store;
mod table;
mod timers;
mod types;
mod values;
mod vm;
pub mod wasi;

pub use engine::{Config, Engine};
pub use error::{Error, Frame, Result, Trap, TrapCode};
pub use exports::Extern;
pub use func::Func;
pub use host::{Caller, HostFn};
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::Memory;
pub use module::Module;
pub use store::{Hold, InterruptHandle, Store, WeakStore};
pub use table::Table;
pub use types::*;
pub use values::Val;
pub use vm::memory::MemoryMode;
pub use vm::vmctx::ValRaw;
