//! The runtime: what generated code reads, writes and calls. The vmctx layout, the builtins,
//! code memory, traps, and the objects of a store (instances, memories, tables, globals).
//! Nothing here knows how code is compiled.

pub(crate) mod builtins;
pub(crate) mod code;
pub(crate) mod global;
pub(crate) mod instance;
pub(crate) mod libcalls;
pub(crate) mod memory;
pub(crate) mod preempt;
pub(crate) mod table;
pub(crate) mod threads;
pub(crate) mod traps;
pub(crate) mod vmctx;
