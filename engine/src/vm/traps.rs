//! Entering wasm and getting back out of it: the signal handlers that turn faults in JIT code
//! into traps, the thread's stack limit, and the one call that runs generated code.

use crate::artifact::TrapKind;
use crate::error::{Error, Frame, Trap, TrapCode};
use crate::vm::code;
use crate::vm::vmctx::{ValRaw, VMRuntime};
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::sync::Once;

extern "C" {
    fn engine_invoke(
        entry: *const u8,
        code: *const u8,
        vmctx: *mut u8,
        values: *mut ValRaw,
        slot: *mut *mut c_void,
    ) -> i32;
    fn engine_unwind(buf: *mut c_void) -> !;
}

/// What each entry into wasm sets on its thread, in one thread-local (one lookup per call in a
/// shared library, where each costs a function call).
struct Entry {
    /// The jump buffer of the innermost wasm call on this thread, or null outside wasm.
    jump_buffer: Cell<*mut c_void>,
    /// The top of the stack that call was entered on (`usize::MAX` when not known):
    /// backtraces read no frame above it, so never another stack's.
    stack_top: Cell<usize>,
    /// The runtime block of the store whose wasm that call runs.
    runtime: Cell<*const VMRuntime>,
    /// This thread's kernel id, once known (0 before), what a store's interrupt requests
    /// signal (see `vm::preempt`).
    thread: Cell<i32>,
}

thread_local! {
    static ENTRY: Entry = const {
        Entry {
            jump_buffer: Cell::new(std::ptr::null_mut()),
            stack_top: Cell::new(usize::MAX),
            runtime: Cell::new(std::ptr::null()),
            thread: Cell::new(0),
        }
    };
    /// What the signal handler found: the trap, and the addresses of the frames below it
    /// (the faulting one first, [`HOST_FRAME`] for a host function between wasm frames).
    static TRAPPED: Cell<Option<(TrapKind, Frames)>> = const { Cell::new(None) };
    /// The frame pointer of each host trampoline whose host function runs, innermost last:
    /// where a backtrace goes on below wasm entered from a host function.
    static EXITS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// The error a host function returned, on its way out through the wasm frames.
    static HOST_ERROR: RefCell<Option<Error>> = const { RefCell::new(None) };
    /// The lowest usable address of this thread's stack, found once.
    static STACK_LOW: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// Room left below the stack limit for host functions called from wasm, signal handlers and
/// the runtime's own frames (a quarter of stacks smaller than four times this).
const STACK_RESERVE: usize = 192 * 1024;
/// Stack given to wasm when running on a stack we know nothing of (a fiber, a coroutine).
const UNKNOWN_STACK_BUDGET: usize = 256 * 1024;

/// The return addresses of a trap's frames, the faulting address first, and their number.
type Frames = ([usize; Trap::MAX_FRAMES], usize);

/// Stands for a host function's frames in [`Frames`].
const HOST_FRAME: usize = 0;

/// This thread's kernel id.
fn thread_id(state: &Entry) -> i32 {
    match state.thread.get() {
        0 => {
            // SAFETY: gettid has no preconditions.
            let id = unsafe { libc::gettid() };
            state.thread.set(id);
            id
        }
        id => id,
    }
}

/// In a forked child, whose one thread is the one that forked: its id is the child's own.
pub(crate) fn forget_thread_id() {
    ENTRY.with(|e| e.thread.set(0));
}

/// The runtime block of the store whose wasm this thread runs, if it runs any now (not a
/// host function called from it).
pub(crate) fn running_runtime() -> Option<*const VMRuntime> {
    ENTRY.with(|e| (!e.jump_buffer.get().is_null()).then(|| e.runtime.get()))
}

/// Stops the wasm this thread runs with an `interrupt` trap at `pc`, in a wasm function whose
/// frame pointer is `fp`: what a signalled safepoint does when the store says stop.
///
/// # Safety
/// This thread runs wasm (`running_runtime`), interrupted at `pc` with frame pointer `fp`,
/// and no frame between here and that wasm needs unwinding.
pub(crate) unsafe fn stop_at(pc: usize, fp: usize) -> ! {
    // SAFETY: the caller promises the wasm frame at `pc` and `fp`.
    let frames = unsafe { walk(pc, fp) };
    let buffer = ENTRY.with(|e| e.jump_buffer.get());
    // SAFETY: the jump buffer of the wasm call running on this thread is live, and the
    // caller promises nothing in between needs unwinding.
    unsafe { unwind(buffer, TrapKind::Wasm(TrapCode::Interrupt), frames) }
}

/// Leaves the wasm call whose jump buffer is `buffer` with the trap `kind` at `frames`.
///
/// # Safety
/// `buffer` is the live jump buffer of the wasm call running on this thread, and the frames
/// skipped are JIT frames or frames that need no unwinding.
unsafe fn unwind(buffer: *mut c_void, kind: TrapKind, frames: Frames) -> ! {
    TRAPPED.with(|t| t.set(Some((kind, frames))));
    // SAFETY: as the caller promises.
    unsafe { engine_unwind(buffer) }
}

pub(crate) fn set_host_error(error: Error) {
    HOST_ERROR.with(|e| *e.borrow_mut() = Some(error));
}

/// Runs `entry(code, vmctx, values)` — a trampoline into wasm — catching traps.
///
/// # Safety
/// `entry` must be an entry trampoline whose signature matches `code`, and `values` must hold
/// as many slots as the function has parameters and results.
pub(crate) unsafe fn invoke(
    runtime: *mut VMRuntime,
    entry: *const u8,
    code: *const u8,
    vmctx: *mut u8,
    values: *mut ValRaw,
) -> Result<(), Error> {
    install_handlers();
    // SAFETY: the caller is inside the store, the only thread writing its runtime block.
    let runtime = unsafe { &*runtime };
    // Not put back afterwards: wasm that called a host function that called this gets its
    // own back from `HostCall`, and no other wasm runs meanwhile.
    let here = 0u8;
    let (limit, top) = stack_limit(&here as *const u8 as usize);
    runtime.interrupt.set_stack_limit(limit);
    let returned = ENTRY.with(|state| {
        let outer_top = state.stack_top.replace(top);
        let outer_runtime = state.runtime.replace(runtime as *const VMRuntime);
        let outer_thread = runtime.interrupt.enter_thread(thread_id(state));
        // SAFETY: the caller promises a matching trampoline, code and slots; the jump buffer
        // slot is this thread's.
        let returned = unsafe { engine_invoke(entry, code, vmctx, values, state.jump_buffer.as_ptr()) };
        runtime.interrupt.leave_thread(outer_thread);
        state.runtime.set(outer_runtime);
        state.stack_top.set(outer_top);
        returned
    });
    if returned != 0 {
        return Ok(());
    }
    let (kind, (frames, count)) = TRAPPED.with(|t| t.take()).expect("unwound without a trap");
    match kind {
        TrapKind::HostError => Err(HOST_ERROR
            .with(|e| e.borrow_mut().take())
            .expect("host error trap without an error")),
        TrapKind::Wasm(code) => {
            // An interrupt trap is a timeout when that is what the flag said.
            let code = match code {
                TrapCode::Interrupt => match runtime.interrupt.take() {
                    crate::vm::vmctx::TIMEOUT => TrapCode::Timeout,
                    _ => code,
                },
                other => other,
            };
            let backtrace: Vec<Frame> = frames[..count]
                .iter()
                .map(|&pc| match code::frame_at(pc) {
                    Some(f) => Frame {
                        func_index: Some(f.func_index),
                        name: Some(f.name),
                        module_offset: f.module_offset,
                    },
                    None => Frame {
                        func_index: None,
                        name: None,
                        module_offset: None,
                    },
                })
                .collect();
            Err(Error::Trap(Trap {
                code,
                function: backtrace.first().and_then(|f| f.name.clone()),
                backtrace,
            }))
        }
    }
}

/// While a host function runs, the wasm that called it is suspended: its jump buffer, stack
/// top and stack limit are put aside, so that wasm entered from the host function meanwhile
/// (maybe on another fiber of this thread, which may then switch back here) sets its own,
/// and they are back in place when the host function returns into wasm.
pub(crate) struct HostCall {
    runtime: *mut VMRuntime,
    stack_limit: usize,
    /// The thread recorded as running the store's wasm, none while the host function runs.
    thread: i32,
    jump_buffer: *mut c_void,
    stack_top: usize,
    /// Whether the store entry of the call was given to the embedder (`take_hold`).
    held: Cell<bool>,
}

impl HostCall {
    /// # Safety
    /// `runtime` must be the runtime of the store whose wasm called the host function.
    /// `frame` is the host trampoline's frame pointer.
    pub unsafe fn enter(runtime: *mut VMRuntime, frame: usize) -> HostCall {
        // SAFETY: the caller promises the runtime of the store this thread is inside.
        let stack_limit = unsafe { (*runtime).interrupt.stack_limit() };
        // SAFETY: as for `stack_limit`.
        let thread = unsafe { (*runtime).interrupt.leave_thread(0) };
        let (jump_buffer, stack_top) =
            ENTRY.with(|e| (e.jump_buffer.replace(std::ptr::null_mut()), e.stack_top.get()));
        EXITS.with(|e| e.borrow_mut().push(frame));
        HostCall {
            runtime,
            stack_limit,
            thread,
            jump_buffer,
            stack_top,
            held: Cell::new(false),
        }
    }

    /// Whether the store entry of the call may be given to the embedder to release should
    /// this stack never run again: once per host call, and only when the wasm that called the
    /// host function runs on a stack other than the thread's own (a fiber's, or one not
    /// known), which the embedder's runtime may drop without unwinding.
    pub fn take_hold(&self) -> bool {
        self.stack_top != thread_stack().1 && !self.held.replace(true)
    }
}

impl Drop for HostCall {
    fn drop(&mut self) {
        EXITS.with(|e| e.borrow_mut().pop());
        ENTRY.with(|e| {
            e.jump_buffer.set(self.jump_buffer);
            e.stack_top.set(self.stack_top);
        });
        // SAFETY: `enter`'s caller promised the runtime, still inside the store.
        unsafe {
            (*self.runtime).interrupt.set_stack_limit(self.stack_limit);
            (*self.runtime).interrupt.enter_thread(self.thread);
        }
    }
}

/// The stack limit for wasm entered with the stack pointer near `sp`, and the top of the
/// stack `sp` is on (`usize::MAX` when not known).
fn stack_limit(sp: usize) -> (usize, usize) {
    // The reserve is a quarter of a small stack (a fiber's), so that wasm has room there too.
    let limit = |(low, high): (usize, usize)| low + STACK_RESERVE.min(high.saturating_sub(low) / 4);
    let within = |(low, high): (usize, usize)| (low < sp && sp <= high).then_some((low, high));
    // The finder answers for the stack `sp` is on, even when `sp` is already below its usable
    // part: then wasm gets no room at all.
    let found = within(thread_stack())
        .or_else(|| CURRENT_STACK.get().and_then(within))
        .or_else(|| STACK_FINDER.get().and_then(|find| find(sp)));
    match found {
        Some(bounds) => (limit(bounds).min(sp), bounds.1),
        None => (sp.saturating_sub(UNKNOWN_STACK_BUDGET), usize::MAX),
    }
}

thread_local! {
    /// The bounds of the stack this thread runs on, when the embedder said (a fiber's).
    static CURRENT_STACK: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// The embedder's way to find the bounds of a stack the engine does not know.
static STACK_FINDER: std::sync::OnceLock<StackFinder> = std::sync::OnceLock::new();

/// Given an address on a stack, its usable bounds `(low, high)`.
pub(crate) type StackFinder = fn(usize) -> Option<(usize, usize)>;

pub(crate) fn set_stack_finder(finder: StackFinder) {
    let _ = STACK_FINDER.set(finder);
}

/// Says on which stack (`low..high`) this thread runs from now on, `None` for its own or one
/// not known; returns what was said before.
pub(crate) fn set_current_stack(bounds: Option<(usize, usize)>) -> Option<(usize, usize)> {
    CURRENT_STACK.replace(bounds)
}

/// The bounds of this thread's own stack, found once.
pub(crate) fn thread_stack() -> (usize, usize) {
    STACK_LOW.with(|cell| {
        if let Some(bounds) = cell.get() {
            return bounds;
        }
        let bounds = query_thread_stack().unwrap_or((0, 0));
        cell.set(Some(bounds));
        bounds
    })
}

fn query_thread_stack() -> Option<(usize, usize)> {
    let mut attr = MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is initialised by a successful pthread_getattr_np and destroyed once.
    unsafe {
        if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
            return None;
        }
        let mut addr: *mut c_void = std::ptr::null_mut();
        let mut size: usize = 0;
        let ok = libc::pthread_attr_getstack(attr.as_ptr(), &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        ok.then(|| (addr as usize, addr as usize + size))
    }
}

const SIGNALS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];
static mut PREVIOUS: [MaybeUninit<libc::sigaction>; 4] = [MaybeUninit::uninit(); 4];
static INSTALL: Once = Once::new();

fn install_handlers() {
    // SAFETY: installing handlers once, before any wasm runs; PREVIOUS is written only here,
    // before any handler of ours can read it.
    INSTALL.call_once(|| unsafe {
        for (i, &sig) in SIGNALS.iter().enumerate() {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as *const () as usize;
            // NODEFER: we leave the handler by longjmp, which would otherwise leave the signal
            // blocked. ONSTACK: use the embedder's alternate stack when it has one.
            action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let previous = std::ptr::addr_of_mut!(PREVIOUS[i]);
            if libc::sigaction(sig, &action, (*previous).as_mut_ptr()) != 0 {
                panic!("cannot install the handler for signal {sig}");
            }
        }
    });
}

/// # Safety
/// Called by the kernel for one of `SIGNALS`, with its siginfo and context.
unsafe extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let buffer = ENTRY.with(|e| e.jump_buffer.get());
    if !buffer.is_null() {
        // SAFETY: the kernel passes the interrupted context.
        let pc = unsafe { program_counter(context) };
        if let Some(kind) = code::trap_at(pc) {
            let frames = match kind {
                // SAFETY: the kernel passes the interrupted context, whose frame pointer is
                // that of the wasm function at `pc`.
                TrapKind::Wasm(_) => unsafe { walk(pc, frame_pointer(context)) },
                TrapKind::HostError => ([0; Trap::MAX_FRAMES], 0),
            };
            // SAFETY: the fault is in wasm code entered through `engine_invoke` on this
            // thread, whose jump buffer is live; the frames skipped are JIT frames only.
            unsafe { unwind(buffer, kind, frames) };
        }
    }
    // SAFETY: forwarding the kernel's own arguments.
    unsafe { forward(sig, info, context) };
}

/// The frames below a trap at `pc` in wasm code whose frame pointer is `fp`: each wasm
/// frame's return address, through the frame pointer chain (generated code keeps frame
/// pointers). Where wasm was entered from a host function, the chain goes on in the wasm that
/// called that host function, from its host trampoline's frame. Only frames of generated
/// code are read, only upwards, and only on the stack the wasm was entered on: the host
/// trampoline of a fiber suspended in a host function (its stack maybe freed since) is
/// never followed.
///
/// # Safety
/// `fp` is the frame pointer of the wasm function executing at `pc`.
unsafe fn walk(pc: usize, mut fp: usize) -> Frames {
    let mut frames = [0; Trap::MAX_FRAMES];
    frames[0] = pc;
    let mut count = 1;
    let top = ENTRY.with(|e| e.stack_top.get());
    EXITS.with(|exits| {
        let exits = exits.try_borrow();
        let exits = exits.as_deref().map_or(&[][..], Vec::as_slice);
        while count < frames.len() && fp != 0 && fp.is_multiple_of(std::mem::align_of::<usize>()) {
            // SAFETY: `fp` is the frame pointer of a frame of generated code on this stack:
            // its caller's frame pointer and the return address are the two words at it.
            let (next, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
            if code::is_wasm_function(ret) {
                frames[count] = ret;
                count += 1;
                if next <= fp || next > top {
                    break;
                }
                fp = next;
                continue;
            }
            // The entry trampoline: go on from the innermost host trampoline older than here.
            match exits.iter().rev().find(|&&exit| exit > fp && exit <= top) {
                Some(&exit) => {
                    frames[count] = HOST_FRAME;
                    count += 1;
                    fp = exit;
                }
                None => break,
            }
        }
    });
    // A host function called from the host has no wasm below it.
    while count > 1 && frames[count - 1] == HOST_FRAME {
        count -= 1;
    }
    (frames, count)
}

/// Not ours: hand the signal to whoever had it before us, as if we were not there.
///
/// # Safety
/// The arguments are the kernel's, for one of `SIGNALS`.
unsafe fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let i = SIGNALS.iter().position(|&s| s == sig).unwrap();
    // SAFETY: PREVIOUS[i] was filled by `install_handlers` before our handler was installed,
    // and is never written again.
    let previous = unsafe { &*(*std::ptr::addr_of!(PREVIOUS[i])).as_ptr() };
    if previous.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: with SA_SIGINFO, sa_sigaction is a three-argument handler.
        unsafe {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut c_void) =
                std::mem::transmute(previous.sa_sigaction);
            f(sig, info, context);
        }
    } else if previous.sa_sigaction == libc::SIG_DFL {
        // Returning re-executes the faulting instruction, which now gets the default action.
        // SAFETY: restoring a disposition the process had before.
        unsafe { libc::sigaction(sig, previous, std::ptr::null_mut()) };
    } else if previous.sa_sigaction != libc::SIG_IGN {
        // SAFETY: without SA_SIGINFO, sa_sigaction is a one-argument handler.
        unsafe {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(previous.sa_sigaction);
            f(sig);
        }
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
/// # Safety
/// `context` is the ucontext the kernel passed to a signal handler.
unsafe fn program_counter(context: *mut c_void) -> usize {
    // SAFETY: see the function's contract.
    let uc = unsafe { &*(context as *const libc::ucontext_t) };
    uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
/// # Safety
/// `context` is the ucontext the kernel passed to a signal handler.
unsafe fn frame_pointer(context: *mut c_void) -> usize {
    // SAFETY: see the function's contract.
    let uc = unsafe { &*(context as *const libc::ucontext_t) };
    uc.uc_mcontext.gregs[libc::REG_RBP as usize] as usize
}

#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
/// # Safety
/// `context` is the ucontext the kernel passed to a signal handler.
unsafe fn frame_pointer(context: *mut c_void) -> usize {
    // SAFETY: see the function's contract.
    let uc = unsafe { &*(context as *const libc::ucontext_t) };
    uc.uc_mcontext.regs[29] as usize
}

#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
/// # Safety
/// `context` is the ucontext the kernel passed to a signal handler.
unsafe fn program_counter(context: *mut c_void) -> usize {
    // SAFETY: see the function's contract.
    let uc = unsafe { &*(context as *const libc::ucontext_t) };
    uc.uc_mcontext.pc as usize
}
