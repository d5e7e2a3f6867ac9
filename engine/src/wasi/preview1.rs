//! The 46 functions of `wasi_snapshot_preview1`, each a shim from the engine's host-function
//! calling convention (`&[Val]` in, `Vec<Val>` out) to wasi-common's implementation, which
//! reads and writes the guest's memory itself.

use crate::{Val, ValType};
use wasi_common::snapshots::preview_1::wasi_snapshot_preview1 as p1;
use wasi_common::WasiCtx;
use wiggle::GuestMemory;

/// A shim: the WASI context, the caller's memory and the arguments, as the function's type
/// says (the engine checked them against it).
pub type Shim = fn(&mut WasiCtx, &mut GuestMemory<'_>, &[Val]) -> wiggle::anyhow::Result<Vec<Val>>;

/// One function: its name, its wasm type and its shim.
pub struct Function {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
    pub shim: Shim,
}

fn i32_at(args: &[Val], i: usize) -> i32 {
    match args.get(i) {
        Some(Val::I32(v)) => *v,
        _ => 0,
    }
}

fn i64_at(args: &[Val], i: usize) -> i64 {
    match args.get(i) {
        Some(Val::I64(v)) => *v,
        _ => 0,
    }
}

/// wasi-common's functions are `async` only in name: with the sync implementation they never
/// wait, so polling once completes them.
fn run<T>(f: impl std::future::Future<Output = wiggle::anyhow::Result<T>>) -> wiggle::anyhow::Result<T> {
    wiggle::run_in_dummy_executor(f)?
}

macro_rules! ty {
    (i32) => {
        ValType::I32
    };
    (i64) => {
        ValType::I64
    };
}

macro_rules! get {
    (i32, $args:ident, $i:expr) => {
        i32_at($args, $i)
    };
    (i64, $args:ident, $i:expr) => {
        i64_at($args, $i)
    };
}

macro_rules! functions {
    ($( fn $name:ident($($arg:ident: $ty:ident),*) $(-> $ret:ident)?; )*) => {
        /// Every function of `wasi_snapshot_preview1`, by name.
        pub static FUNCTIONS: &[Function] = &[$(
            Function {
                name: stringify!($name),
                params: &[$(ty!($ty)),*],
                results: &[$(ty!($ret))?],
                shim: |ctx, memory, _args| {
                    let mut _next = 0usize;
                    $(
                        let $arg = get!($ty, _args, _next);
                        _next += 1;
                    )*
                    let _result = run(p1::$name(ctx, memory, $($arg),*))?;
                    Ok(vec![$(functions!(@result $ret, _result))?])
                },
            },
        )*];
    };
    (@result i32, $r:ident) => {
        Val::I32($r)
    };
}

functions! {
    fn args_get(argv: i32, argv_buf: i32) -> i32;
    fn args_sizes_get(argc: i32, argv_buf_size: i32) -> i32;
    fn environ_get(environ: i32, environ_buf: i32) -> i32;
    fn environ_sizes_get(count: i32, buf_size: i32) -> i32;
    fn clock_res_get(id: i32, resolution: i32) -> i32;
    fn clock_time_get(id: i32, precision: i64, time: i32) -> i32;
    fn fd_advise(fd: i32, offset: i64, len: i64, advice: i32) -> i32;
    fn fd_allocate(fd: i32, offset: i64, len: i64) -> i32;
    fn fd_close(fd: i32) -> i32;
    fn fd_datasync(fd: i32) -> i32;
    fn fd_fdstat_get(fd: i32, stat: i32) -> i32;
    fn fd_fdstat_set_flags(fd: i32, flags: i32) -> i32;
    fn fd_fdstat_set_rights(fd: i32, base: i64, inheriting: i64) -> i32;
    fn fd_filestat_get(fd: i32, stat: i32) -> i32;
    fn fd_filestat_set_size(fd: i32, size: i64) -> i32;
    fn fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, fst_flags: i32) -> i32;
    fn fd_pread(fd: i32, iovs: i32, iovs_len: i32, offset: i64, nread: i32) -> i32;
    fn fd_prestat_get(fd: i32, prestat: i32) -> i32;
    fn fd_prestat_dir_name(fd: i32, path: i32, path_len: i32) -> i32;
    fn fd_pwrite(fd: i32, iovs: i32, iovs_len: i32, offset: i64, nwritten: i32) -> i32;
    fn fd_read(fd: i32, iovs: i32, iovs_len: i32, nread: i32) -> i32;
    fn fd_readdir(fd: i32, buf: i32, buf_len: i32, cookie: i64, used: i32) -> i32;
    fn fd_renumber(fd: i32, to: i32) -> i32;
    fn fd_seek(fd: i32, offset: i64, whence: i32, new_offset: i32) -> i32;
    fn fd_sync(fd: i32) -> i32;
    fn fd_tell(fd: i32, offset: i32) -> i32;
    fn fd_write(fd: i32, iovs: i32, iovs_len: i32, nwritten: i32) -> i32;
    fn path_create_directory(fd: i32, path: i32, path_len: i32) -> i32;
    fn path_filestat_get(fd: i32, flags: i32, path: i32, path_len: i32, stat: i32) -> i32;
    fn path_filestat_set_times(fd: i32, flags: i32, path: i32, path_len: i32, atim: i64, mtim: i64, fst_flags: i32) -> i32;
    fn path_link(old_fd: i32, old_flags: i32, old_path: i32, old_path_len: i32, new_fd: i32, new_path: i32, new_path_len: i32) -> i32;
    fn path_open(fd: i32, dirflags: i32, path: i32, path_len: i32, oflags: i32, rights_base: i64, rights_inheriting: i64, fdflags: i32, opened: i32) -> i32;
    fn path_readlink(fd: i32, path: i32, path_len: i32, buf: i32, buf_len: i32, used: i32) -> i32;
    fn path_remove_directory(fd: i32, path: i32, path_len: i32) -> i32;
    fn path_rename(fd: i32, old_path: i32, old_path_len: i32, new_fd: i32, new_path: i32, new_path_len: i32) -> i32;
    fn path_symlink(old_path: i32, old_path_len: i32, fd: i32, new_path: i32, new_path_len: i32) -> i32;
    fn path_unlink_file(fd: i32, path: i32, path_len: i32) -> i32;
    fn poll_oneoff(subscriptions: i32, events: i32, count: i32, nevents: i32) -> i32;
    fn proc_exit(status: i32);
    fn proc_raise(signal: i32) -> i32;
    fn sched_yield() -> i32;
    fn random_get(buf: i32, buf_len: i32) -> i32;
    fn sock_accept(fd: i32, flags: i32, opened: i32) -> i32;
    fn sock_recv(fd: i32, iovs: i32, iovs_len: i32, ri_flags: i32, nread: i32, ro_flags: i32) -> i32;
    fn sock_send(fd: i32, iovs: i32, iovs_len: i32, si_flags: i32, nwritten: i32) -> i32;
    fn sock_shutdown(fd: i32, how: i32) -> i32;
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_46_functions_once() {
        let mut names: Vec<_> = super::FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 46);
    }
}
