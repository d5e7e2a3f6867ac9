//! `poll_oneoff` over every kind of stream. wasi-common's scheduler polls OS file descriptors
//! only, and answers `EINVAL` for the in-memory pipes that captured output and given stdin
//! are. Such a pipe never blocks: it is ready at once, so a poll naming one returns at once.

use wasi_common::sched::subscription::{RwEventFlags, Subscription};
use wasi_common::sched::{Duration, Poll, WasiSched};
use wasi_common::Error;

pub struct Scheduler(pub Box<dyn WasiSched>);

#[async_trait::async_trait]
impl WasiSched for Scheduler {
    async fn poll_oneoff<'a>(&self, poll: &mut Poll<'a>) -> Result<(), Error> {
        let mut ready = false;
        for sub in poll.rw_subscriptions() {
            match sub {
                Subscription::Read(r) if r.file.pollable().is_none() => {
                    let bytes = r.file.num_ready_bytes()?;
                    r.complete(bytes, RwEventFlags::empty());
                    ready = true;
                }
                Subscription::Write(w) if w.file.pollable().is_none() => {
                    w.complete(0, RwEventFlags::empty());
                    ready = true;
                }
                _ => {}
            }
        }
        if ready {
            return Ok(());
        }
        self.0.poll_oneoff(poll).await
    }

    async fn sched_yield(&self) -> Result<(), Error> {
        self.0.sched_yield().await
    }

    async fn sleep(&self, duration: Duration) -> Result<(), Error> {
        self.0.sleep(duration).await
    }
}
