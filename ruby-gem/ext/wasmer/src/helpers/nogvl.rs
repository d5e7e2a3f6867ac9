//! Running Rust without Ruby's GVL, so that other Ruby threads run meanwhile: for work that
//! takes long and touches no Ruby object (compiling a module).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f` with the GVL released. `f` must not touch Ruby objects (or anything Ruby may
/// change meanwhile): hand it owned data. A panic in `f` is caught on the far side and
/// resumed here, never unwound through Ruby's frames.
pub fn without_gvl<F: FnOnce() -> R, R>(f: F) -> R {
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
    let mut call: Call<F, R> = Call { f: Some(f), result: None };
    // SAFETY: the trampoline matches `Call<F, R>`; no unblocking function, since the work
    // cannot be interrupted midway (Ruby waits for it to finish before handling interrupts).
    unsafe {
        rb_sys::rb_thread_call_without_gvl(
            Some(trampoline::<F, R>),
            (&mut call as *mut Call<F, R>).cast(),
            None,
            std::ptr::null_mut(),
        );
    }
    match call.result {
        Some(Ok(value)) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => unreachable!("rb_thread_call_without_gvl always runs its function"),
    }
}
