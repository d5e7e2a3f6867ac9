//! The bounds of the stack Ruby runs on, for the engine, which knows each thread's own stack
//! but not a Fiber's: there it would assume 256 KiB below the entry point, past the end of
//! a Fiber's stack (512 KiB by default) that Ruby code has already used much of.

use std::cell::Cell;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;

/// `RubyVM::DEFAULT_PARAMS[:fiber_machine_stack_size]`, read at init.
static FIBER_STACK: AtomicUsize = AtomicUsize::new(0);

/// Room left for what our estimate of a Fiber stack's low end may miss (alignment, the
/// pool's bookkeeping): wasm stops that much earlier.
const MARGIN: usize = 64 * 1024;

/// Reads the size of Fiber stacks and gives the engine its stack finder.
pub fn init(ruby: &magnus::Ruby) -> Result<(), magnus::Error> {
    let size: usize = ruby.eval("RubyVM::DEFAULT_PARAMS[:fiber_machine_stack_size] || 0")?;
    FIBER_STACK.store(size, Ordering::Relaxed);
    engine::embed::stack::set_stack_finder(current_stack);
    Ok(())
}

/// The usable bounds of the stack `sp` is on, as Ruby's execution context has them: it starts
/// where Ruby's GC starts marking this stack (the Fiber's own when a Fiber runs), and is taken
/// to be as large as a Fiber's stack, less the margin.
fn current_stack(sp: usize) -> Option<(usize, usize)> {
    let size = FIBER_STACK.load(Ordering::Relaxed);
    if size <= MARGIN {
        return None;
    }
    let mut end: *mut rb_sys::VALUE = std::ptr::null_mut();
    // SAFETY: reads the current thread's execution context, which every Ruby thread has (the
    // engine asks from the thread entering wasm); it writes the stack's end to `end`.
    let used = unsafe { rb_sys::ruby_stack_length(&mut end) } as usize;
    let high = (end as usize).checked_add(used * std::mem::size_of::<rb_sys::VALUE>())?;
    let base = high.checked_sub(size)?;
    // On this stack, even below the margin: the engine then has no room to give wasm.
    (base < sp && sp <= high).then_some((base + MARGIN, high))
}

/// How many `FiberHold`s hold an entry now.
static HOLDING: AtomicUsize = AtomicUsize::new(0);

/// Whether a store may be held by a Fiber abandoned inside an import, which only the GC can
/// tell: a thread waiting for a store runs it only then.
pub fn any_held() -> bool {
    HOLDING.load(Ordering::Relaxed) > 0
}

/// The store entry of a call from Ruby that an import running on a Fiber holds while it runs
/// (`engine::Hold`). A Fiber suspended inside the import and never resumed is collected by
/// the GC without unwinding: then its `FiberHold`, found only on that Fiber's stack (which
/// Ruby marks while the Fiber lives), is freed too and leaves the entry, so that other
/// threads may use the instance again; the import's `Wasmer::Caller`, which points into that
/// stack, then refuses use.
#[derive(magnus::TypedData)]
#[magnus(class = "Wasmer::FiberHold", free_immediately, size)]
pub struct FiberHold {
    hold: Cell<Option<engine::Hold>>,
    caller: Cell<Option<Arc<AtomicPtr<engine::Caller<'static>>>>>,
}

impl magnus::DataTypeFunctions for FiberHold {}

impl FiberHold {
    /// Lets go of the entry without leaving it: the import returned, which left it.
    fn disarm(&self) -> Option<engine::Hold> {
        self.caller.take();
        let hold = self.hold.take();
        if hold.is_some() {
            HOLDING.fetch_sub(1, Ordering::Relaxed);
        }
        hold
    }
}

impl Drop for FiberHold {
    fn drop(&mut self) {
        let caller = self.caller.take();
        if let Some(hold) = self.disarm() {
            if let Some(caller) = caller {
                caller.store(std::ptr::null_mut(), Ordering::Relaxed);
            }
            // SAFETY: still held, so the import never returned: its Fiber, which alone kept
            // this object, is being collected (or Ruby is freeing every object as the
            // process ends), so that stack never runs again. The GC runs holding the GVL,
            // as does any thread running the store's code.
            unsafe { hold.release() };
        }
    }
}

/// While alive, on the stack of an import running on a Fiber, holds that call's entry;
/// dropped when the import returns, it lets go of it.
pub struct Holding(Option<magnus::typed_data::Obj<FiberHold>>);

impl Holding {
    pub fn new(ruby: &magnus::Ruby, caller: &engine::Caller<'_>) -> Holding {
        Holding(caller.hold().map(|hold| {
            HOLDING.fetch_add(1, Ordering::Relaxed);
            ruby.obj_wrap(FiberHold {
                hold: Cell::new(Some(hold)),
                caller: Cell::new(None),
            })
        }))
    }

    /// Makes the import's `Wasmer::Caller` refuse use should the Fiber be abandoned.
    pub fn cover(&self, caller: &crate::caller::Caller) {
        if let Some(obj) = &self.0 {
            obj.caller.set(Some(caller.validity()));
        }
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        if let Some(obj) = &self.0 {
            drop(obj.disarm());
        }
    }
}
