//! The directories a guest sees: wasi-common's sandboxed directory, with two things added.
//! Read-only preopens (wasi-common 41 does not enforce preview 1 rights): every change is
//! refused with `EPERM`, and subdirectories opened from them are read-only too. And
//! `O_TRUNC | O_APPEND` opens (Rust's `OpenOptions` refuses the pair, POSIX allows it): the
//! file is opened truncated, then switched to append mode.

use std::any::Any;
use std::path::PathBuf;
use wasi_common::dir::{OpenResult, ReaddirCursor, ReaddirEntity};
use wasi_common::file::{FdFlags, Filestat, OFlags};
use wasi_common::snapshots::preview_1::types::Errno;
use wasi_common::{Error, SystemTimeSpec, WasiDir};

pub struct GuestDir {
    pub inner: Box<dyn WasiDir>,
    pub read_only: bool,
}

impl GuestDir {
    fn check(&self) -> Result<(), Error> {
        if self.read_only {
            denied()
        } else {
            Ok(())
        }
    }
}

fn denied<T>() -> Result<T, Error> {
    Err(Errno::Perm.into())
}

/// For a move or a link from `from` into `to`: both must be writable; `to` is handed to the
/// implementation below as what it is (it downcasts it to its own type).
fn writable_target<'a>(from: &GuestDir, to: &'a dyn WasiDir) -> Result<&'a dyn WasiDir, Error> {
    from.check()?;
    match to.as_any().downcast_ref::<GuestDir>() {
        Some(to) => {
            to.check()?;
            Ok(to.inner.as_ref())
        }
        None => Err(Errno::Xdev.into()),
    }
}

#[async_trait::async_trait]
impl WasiDir for GuestDir {
    fn as_any(&self) -> &dyn Any {
        self
    }

    async fn open_file(
        &self,
        follow: bool,
        path: &str,
        oflags: OFlags,
        read: bool,
        write: bool,
        fdflags: FdFlags,
    ) -> Result<OpenResult, Error> {
        if write
            || oflags.intersects(OFlags::CREATE | OFlags::TRUNCATE | OFlags::EXCLUSIVE)
            || fdflags.contains(FdFlags::APPEND)
        {
            self.check()?;
        }
        let append_later = oflags.contains(OFlags::TRUNCATE) && fdflags.contains(FdFlags::APPEND);
        let open_flags = if append_later { fdflags - FdFlags::APPEND } else { fdflags };
        Ok(match self.inner.open_file(follow, path, oflags, read, write, open_flags).await? {
            OpenResult::File(mut f) => {
                if append_later {
                    f.set_fdflags(fdflags).await?;
                }
                OpenResult::File(f)
            }
            OpenResult::Dir(d) => OpenResult::Dir(Box::new(GuestDir {
                inner: d,
                read_only: self.read_only,
            })),
        })
    }

    async fn create_dir(&self, path: &str) -> Result<(), Error> {
        self.check()?;
        self.inner.create_dir(path).await
    }

    async fn readdir(
        &self,
        cursor: ReaddirCursor,
    ) -> Result<Box<dyn Iterator<Item = Result<ReaddirEntity, Error>> + Send>, Error> {
        self.inner.readdir(cursor).await
    }

    async fn symlink(&self, old: &str, new: &str) -> Result<(), Error> {
        self.check()?;
        self.inner.symlink(old, new).await
    }

    async fn remove_dir(&self, path: &str) -> Result<(), Error> {
        self.check()?;
        self.inner.remove_dir(path).await
    }

    async fn unlink_file(&self, path: &str) -> Result<(), Error> {
        self.check()?;
        self.inner.unlink_file(path).await
    }

    async fn read_link(&self, path: &str) -> Result<PathBuf, Error> {
        self.inner.read_link(path).await
    }

    async fn get_filestat(&self) -> Result<Filestat, Error> {
        self.inner.get_filestat().await
    }

    async fn get_path_filestat(&self, path: &str, follow: bool) -> Result<Filestat, Error> {
        self.inner.get_path_filestat(path, follow).await
    }

    async fn rename(&self, old: &str, dir: &dyn WasiDir, new: &str) -> Result<(), Error> {
        let target = writable_target(self, dir)?;
        self.inner.rename(old, target, new).await
    }

    async fn hard_link(&self, old: &str, dir: &dyn WasiDir, new: &str) -> Result<(), Error> {
        let target = writable_target(self, dir)?;
        self.inner.hard_link(old, target, new).await
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTimeSpec>,
        mtime: Option<SystemTimeSpec>,
        follow: bool,
    ) -> Result<(), Error> {
        self.check()?;
        self.inner.set_times(path, atime, mtime, follow).await
    }
}
