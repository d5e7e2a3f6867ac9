//! A WebAssembly 2.0 runtime: modules are compiled to native code with Cranelift and run
//! in-process, with traps caught and reported as errors.
//!
//! ```no_run
//! use engine::{Instance, Module, Store, Val};
//! let store = Store::new();
//! let module = Module::new(&std::fs::read("sum.wasm").unwrap()).unwrap();
//! let instance = Instance::new(&store, &module, &[]).unwrap();
//! let sum = instance.get_func("sum").unwrap();
//! assert!(matches!(sum.call(&[Val::I32(5), Val::I32(37)]).unwrap()[..], [Val::I32(42)]));
//! ```

mod code;
mod compile;
mod environ;
mod error;
mod func;
mod global;
mod instance;
mod libcalls;
mod memory;
mod module;
mod signatures;
mod store;
mod table;
mod traps;
mod types;
mod values;
mod vm;

pub use error::{Error, Result, Trap, TrapCode};
pub use func::{Func, HostFn};
pub use global::Global;
pub use instance::{Extern, Instance};
pub use memory::{uses_explicit_bounds_checks, Memory};
pub use module::Module;
pub use store::{InterruptHandle, Store};
pub use table::Table;
pub use types::*;
pub use values::Val;
