//! Running Rust without Ruby's GVL, so that other Ruby threads run meanwhile: for work that
//! takes long and touches no Ruby object (compiling a module).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `f` with the GVL released. `f` must not touch Ruby objects (or anything Ruby may
/// change meanwhile): hand it owned data. A panic in `f` is caught on the far side and
/// resumed here, never unwound through Ruby's frames. When Ruby wants the thread back early
/// (`Thread#raise`, `Timeout`, a signal), it sets `cancel`, which `f` is to watch and stop
/// at; Ruby raises once the GVL is back (see `rb_thread_check_ints`).
pub fn without_gvl<F: FnOnce() -> R, R>(f: F, cancel: &AtomicBool) -> R {
    struct Call<F, R> {
        f: Option<F>,
        result: Option<std::thread::Result<R>>,
    }
    unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `Call` below, alive and unshared for the whole call.
        let call = unsafe { &mut *data.cast::<Call<F, R>>() };
        if let Some(f) = call.f.take() {
            call.result = Some(catch_unwind(AssertUnwindSafe(f)));
        }
        std::ptr::null_mut()
    }
    /// Ruby's unblocking function: may run on another thread, so it only sets the flag.
    unsafe extern "C" fn unblock(data: *mut c_void) {
        // SAFETY: `data` is `cancel`, alive until `rb_thread_call_without_gvl` returns.
        unsafe { &*data.cast::<AtomicBool>() }.store(true, Ordering::Relaxed);
    }
    let mut call: Call<F, R> = Call { f: Some(f), result: None };
    // SAFETY: the trampoline matches `Call<F, R>`, the unblocking function `cancel`, which
    // outlives the call.
    unsafe {
        rb_sys::rb_thread_call_without_gvl(
            Some(trampoline::<F, R>),
            (&mut call as *mut Call<F, R>).cast(),
            Some(unblock),
            ptr::from_ref(cancel).cast_mut().cast(),
        );
    }
    match call.result {
        Some(Ok(value)) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => unreachable!("rb_thread_call_without_gvl always runs its function"),
    }
}
