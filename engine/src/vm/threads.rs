//! Reaching the other threads of the process: the signal that brings a thread running wasm
//! to a safepoint (handled in `preempt`), and a memory barrier on all of them.

/// `SIGURG`: ignored by default, and what Go's runtime uses for the same purpose.
pub(crate) const SIGNAL: libc::c_int = libc::SIGURG;

/// Signals `thread`, of this process, where signals interrupt wasm (see `preempt`: Linux on
/// x86-64; elsewhere nothing handles the signal, and loops check the flag). Async-signal-safe.
pub(crate) fn kick(thread: i32) {
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    // SAFETY: tgkill has no memory preconditions; a thread gone meanwhile makes it fail.
    unsafe {
        libc::syscall(libc::SYS_tgkill, libc::getpid(), thread, SIGNAL);
    }
    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    let _ = thread;
}

static ASYMMETRIC_FENCE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Whether requesters can make every thread of the process execute a memory barrier
/// (Linux's `membarrier`, private expedited), so that a thread entering wasm records itself
/// with a plain store (see `VMInterrupt::enter_thread`): the rare requester pays for the
/// fence instead of every call. Asked of the kernel once, before any thread enters wasm.
#[inline]
pub(crate) fn asymmetric_fence() -> bool {
    *ASYMMETRIC_FENCE.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            const REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;
            // SAFETY: membarrier has no memory preconditions.
            unsafe { libc::syscall(libc::SYS_membarrier, REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 }
        }
        #[cfg(not(target_os = "linux"))]
        false
    })
}

/// What `asymmetric_fence` said, or `false` when no thread has asked yet (and so none runs
/// wasm entered without a fence). Async-signal-safe, unlike asking.
pub(crate) fn asymmetric_fence_known() -> bool {
    ASYMMETRIC_FENCE.get().copied().unwrap_or(false)
}

/// A full memory barrier on every running thread of the process; only after
/// `asymmetric_fence` said yes. Async-signal-safe.
pub(crate) fn fence_all_threads() {
    #[cfg(target_os = "linux")]
    {
        const PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
        // SAFETY: as above.
        unsafe { libc::syscall(libc::SYS_membarrier, PRIVATE_EXPEDITED, 0, 0) };
    }
}

