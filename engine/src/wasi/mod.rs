//! WASI preview 1 (`wasi_snapshot_preview1`) as host functions: programs compiled for
//! `wasm32-wasip1` run with the arguments, environment, directories and standard streams a
//! [`WasiConfig`] gives them, and nothing else. The engine core knows nothing of this module:
//! it is a set of host functions reaching the caller's memory through `Caller`.
//!
//! The sandbox: a guest reaches the host's file system only below its preopened directories.
//! wasi-common resolves every path inside a directory handle with cap-std, which refuses `..`
//! past the preopen, absolute paths and symlinks leading outside (absolute or relative), and
//! does so while opening (no check-then-open race). Read-only preopens refuse every change.
//!
//! `proc_exit(n)` unwinds the guest like a trap and comes out as [`Error::Exit`]; [`start`]
//! turns it into the program's status. Guest pointers out of bounds trap
//! (`memory_out_of_bounds`); every other WASI failure is an errno returned to the guest.

mod dir;
mod preview1;
mod sched;

use crate::error::{Error, Result, Trap, TrapCode};
use crate::{Caller, Extern, Func, FuncType, ImportType, Instance, Linker, Store, Val};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use wasi_common::pipe::{ReadPipe, WritePipe};
use wasi_common::snapshots::preview_1::types::Errno;
use wasi_common::sync::{ambient_authority, clocks_ctx, random_ctx, Dir};
use wasi_common::{I32Exit, Table, WasiCtx};
use wiggle::GuestMemory;

/// The import module name of WASI preview 1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Where a guest's standard input comes from.
#[derive(Clone, Debug, Default)]
pub enum Input {
    /// An empty stream (end of file at once).
    #[default]
    Empty,
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
    /// The process's own standard input.
    Inherit,
}

/// Where a guest's standard output or error goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Output {
    /// Into a buffer, read with [`Wasi::stdout`] / [`Wasi::stderr`].
    #[default]
    Capture,
    /// To the process's own stream.
    Inherit,
    /// Nowhere.
    Discard,
}

/// A host directory the guest sees at `guest` (e.g. `/data`).
#[derive(Clone, Debug)]
pub struct Preopen {
    pub guest: String,
    pub host: PathBuf,
    pub read_only: bool,
}

/// What a WASI program is given.
#[derive(Clone, Debug, Default)]
pub struct WasiConfig {
    /// `argv`, the program's name first.
    pub args: Vec<String>,
    /// The environment, and only it (the host's is not inherited).
    pub env: Vec<(String, String)>,
    /// Directories, in order: the first is fd 3.
    pub preopens: Vec<Preopen>,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
}

/// A WASI context: one program's view of the world (its file descriptors included), shared
/// by every instance linked to it.
pub struct Wasi {
    /// The one `WasiCtx`, never cloned: wasi-common changes its file table only when it owns
    /// it alone (`fd_fdstat_set_flags`, `fd_renumber` answer `ENOTSUP` otherwise).
    ctx: Arc<Mutex<WasiCtx>>,
    stdout: Arc<RwLock<Vec<u8>>>,
    stderr: Arc<RwLock<Vec<u8>>>,
}

fn usage(message: String) -> Error {
    Error::Usage(message)
}

impl Wasi {
    /// A context for `config`. Errors name the option at fault: an argument or variable with
    /// a NUL byte, a variable name with `=`, a preopen whose host directory cannot be opened.
    pub fn new(config: &WasiConfig) -> Result<Wasi> {
        let scheduler = Box::new(sched::Scheduler(wasi_common::sync::sched::sched_ctx()));
        let mut ctx = WasiCtx::new(random_ctx(), clocks_ctx(), scheduler, Table::new());
        for (i, arg) in config.args.iter().enumerate() {
            if arg.contains('\0') {
                return Err(usage(format!("WASI args: argument {i} contains a NUL byte")));
            }
            ctx.push_arg(arg).map_err(|e| usage(format!("WASI args: argument {i}: {e}")))?;
        }
        for (key, value) in &config.env {
            if key.is_empty() || key.contains('=') || key.contains('\0') {
                return Err(usage(format!(
                    "WASI env: the variable name {key:?} must be non-empty, without `=` or NUL"
                )));
            }
            if value.contains('\0') {
                return Err(usage(format!("WASI env: the value of {key:?} contains a NUL byte")));
            }
            ctx.push_env(key, value).map_err(|e| usage(format!("WASI env: {key:?}: {e}")))?;
        }
        for p in &config.preopens {
            let what = || format!("WASI preopen `{}` (host directory {})", p.guest, p.host.display());
            if !p.guest.starts_with('/') && p.guest != "." {
                return Err(usage(format!("{}: the guest path must be absolute", what())));
            }
            let dir = Dir::open_ambient_dir(&p.host, ambient_authority())
                .map_err(|e| usage(format!("{}: cannot be opened: {e}", what())))?;
            let dir = dir::GuestDir {
                inner: Box::new(wasi_common::sync::dir::Dir::from_cap_std(dir)),
                read_only: p.read_only,
            };
            ctx.push_preopened_dir(Box::new(dir), &p.guest)
                .map_err(|e| usage(format!("{}: {e}", what())))?;
        }
        ctx.set_stdin(match &config.stdin {
            Input::Empty => Box::new(ReadPipe::from(Vec::new())),
            Input::Bytes(bytes) => Box::new(ReadPipe::from(bytes.clone())),
            Input::Inherit => Box::new(wasi_common::sync::stdio::stdin()),
        });
        let stdout = Arc::new(RwLock::new(Vec::new()));
        let stderr = Arc::new(RwLock::new(Vec::new()));
        ctx.set_stdout(match config.stdout {
            Output::Capture => Box::new(WritePipe::from_shared(stdout.clone())),
            Output::Inherit => Box::new(wasi_common::sync::stdio::stdout()),
            Output::Discard => Box::new(WritePipe::new(std::io::sink())),
        });
        ctx.set_stderr(match config.stderr {
            Output::Capture => Box::new(WritePipe::from_shared(stderr.clone())),
            Output::Inherit => Box::new(wasi_common::sync::stdio::stderr()),
            Output::Discard => Box::new(WritePipe::new(std::io::sink())),
        });
        Ok(Wasi {
            ctx: Arc::new(Mutex::new(ctx)),
            stdout,
            stderr,
        })
    }

    /// What the guest has written to a captured standard output so far.
    pub fn stdout(&self) -> Vec<u8> {
        self.stdout.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// What the guest has written to a captured standard error so far.
    pub fn stderr(&self) -> Vec<u8> {
        self.stderr.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// The host function in `store` for the WASI function `name`, if there is one.
    pub fn func(&self, store: &Store, name: &str) -> Option<Func> {
        let function = preview1::FUNCTIONS.iter().find(|f| f.name == name)?;
        let ty = FuncType::new(function.params.iter().copied(), function.results.iter().copied());
        let ctx = self.ctx.clone();
        Some(Func::new(store, ty, move |caller, args| call(function, &ctx, caller, args)))
    }

    /// The extern for `import` if it is a WASI import (a function of [`MODULE`]).
    pub fn resolve(&self, store: &Store, import: &ImportType) -> Option<Extern> {
        if import.module != MODULE {
            return None;
        }
        self.func(store, &import.name).map(Extern::Func)
    }

    /// Defines every WASI function in `linker`, for instances of `store`.
    pub fn add_to_linker(&self, store: &Store, linker: &mut Linker) {
        for function in preview1::FUNCTIONS {
            if let Some(func) = self.func(store, function.name) {
                linker.define(MODULE, function.name, func);
            }
        }
    }
}

/// Runs one WASI function for the instance that called it.
fn call(function: &preview1::Function, ctx: &Mutex<WasiCtx>, caller: &mut Caller<'_>, args: &[Val]) -> Result<Vec<Val>> {
    // WASI functions never call back into wasm, so the lock is never wanted twice; a panic
    // inside wasi-common leaves the context usable.
    let mut ctx = ctx.lock().unwrap_or_else(|e| e.into_inner());
    if function.name.starts_with("sock_") {
        // No socket is ever open (none can be preopened): an open descriptor is not a socket.
        let fd = match args.first() {
            Some(Val::I32(fd)) => *fd as u32,
            _ => u32::MAX,
        };
        let errno = if ctx.table().contains_key(fd) { Errno::Notsock } else { Errno::Badf };
        return Ok(vec![Val::I32(errno as i32)]);
    }
    let memory = match caller.get_export("memory") {
        Some(Extern::Memory(m)) => Some(m),
        _ => caller.memory(),
    };
    let outcome = match memory {
        Some(memory) => memory.with_bytes_mut(|bytes| (function.shim)(&mut ctx, &mut GuestMemory::Unshared(bytes), args))?,
        // A module without memory can still call what needs none (proc_exit, sched_yield);
        // any pointer it passes is out of bounds.
        None => (function.shim)(&mut ctx, &mut GuestMemory::Unshared(&mut []), args),
    };
    outcome.map_err(|e| failure(function.name, e))
}

/// The engine error for a WASI function that did not return an errno.
fn failure(name: &str, e: wiggle::anyhow::Error) -> Error {
    match e.downcast::<I32Exit>() {
        Ok(I32Exit(status)) => Error::Exit(status),
        Err(e) if e.is::<wiggle::GuestError>() => Error::Trap(Trap {
            function: Some(format!("{MODULE}.{name}")),
            ..Trap::new(TrapCode::MemoryOutOfBounds)
        }),
        Err(e) => usage(format!("{MODULE}.{name}: {e:#}")),
    }
}

/// Runs a command module: its `_start`, to the end or to `proc_exit`. Returns the exit
/// status (0 when `_start` returns); a trap or a host error is an `Err`.
pub fn start(instance: &Instance) -> Result<i32> {
    let start = instance
        .get_func("_start")
        .ok_or_else(|| usage("the module exports no `_start` function: it is not a WASI command".into()))?;
    match start.call(&[]) {
        Ok(_) => Ok(0),
        Err(Error::Exit(status)) => Ok(status),
        Err(e) => Err(e),
    }
}

/// Prepares a reactor (library) module: calls its `_initialize` if it exports one.
pub fn initialize(instance: &Instance) -> Result<()> {
    match instance.get_func("_initialize") {
        Some(init) => init.call(&[]).map(drop),
        None => Ok(()),
    }
}
