//! `Wasmer::Caller`: what a host function made with `Wasmer::HostFunction.with_caller` gets
//! first, to reach the instance whose wasm called it: its memory and its exports.
//!
//! It is valid only while that host function runs, on the thread running it: the engine's
//! caller lives on the stack of the call, so once the block returns, the object refuses
//! every use.

use crate::errors::wasmer_error;
use crate::exports;
use engine::embed::messages;
use crate::store::Shared;
use magnus::{
    gc::Marker, method, prelude::*, typed_data::Obj, DataTypeFunctions, Error, RModule, Ruby, TypedData, Value,
};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;
use std::thread::ThreadId;

/// The instance calling a host function.
///
/// @example
///   log = Wasmer::HostFunction.with_caller do |caller, ptr, len|
///     puts caller.memory.read(ptr, len)
///   end
#[derive(TypedData)]
#[magnus(class = "Wasmer::Caller", mark, free_immediately, size)]
pub struct Caller {
    /// The engine's caller while the host function runs, null after (also once a Fiber
    /// abandoned inside it is collected: see `fibers::FiberHold`).
    inner: Arc<AtomicPtr<engine::Caller<'static>>>,
    thread: ThreadId,
    shared: Arc<Shared>,
}

impl DataTypeFunctions for Caller {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

impl Caller {
    /// A `Wasmer::Caller` for `caller`, to pass to a block. Call [`Caller::end`] on it
    /// before `caller` goes away.
    pub fn begin(ruby: &Ruby, caller: &mut engine::Caller<'_>, shared: &Arc<Shared>) -> Obj<Caller> {
        ruby.obj_wrap(Caller {
            inner: Arc::new(AtomicPtr::new(ptr::from_mut(caller).cast())),
            thread: std::thread::current().id(),
            shared: shared.clone(),
        })
    }

    /// What makes it unusable when nulled, for a `FiberHold` to null.
    pub fn validity(&self) -> Arc<AtomicPtr<engine::Caller<'static>>> {
        self.inner.clone()
    }

    /// Makes it unusable: its host function returns.
    pub fn end(&self) {
        self.inner.store(ptr::null_mut(), Ordering::Relaxed);
    }

    fn get(&self, ruby: &Ruby, method: &str) -> Result<&engine::Caller<'static>, Error> {
        let inner = self.inner.load(Ordering::Relaxed);
        if inner.is_null() {
            return Err(wasmer_error(
                ruby,
                format!("Wasmer::Caller#{method}: a caller can only be used while its host function runs"),
            ));
        }
        if std::thread::current().id() != self.thread {
            return Err(wasmer_error(
                ruby,
                format!("Wasmer::Caller#{method}: a caller can only be used by the thread running its host function"),
            ));
        }
        // SAFETY: not null, so the host function that got this object is still running on
        // this thread, and its engine caller lives on the stack below.
        Ok(unsafe { &*inner })
    }

    /// The calling instance's first exported memory.
    ///
    /// @return [Wasmer::Memory]
    /// @raise [Wasmer::Error] if it exports no memory
    fn memory(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        match rb_self.get(ruby, "memory")?.memory() {
            Some(memory) => Ok(crate::instance::wrap_memory(ruby, &rb_self.shared, memory, "memory")),
            None => Err(wasmer_error(ruby, "the calling instance exports no memory")),
        }
    }

    /// The calling instance's export `name`.
    ///
    /// @param name [Symbol, String]
    /// @return [Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table]
    /// @raise [Wasmer::Error] if it has no such export
    fn aref(ruby: &Ruby, rb_self: &Self, name: Value) -> Result<Value, Error> {
        let caller = rb_self.get(ruby, "[]")?;
        let name = exports::key(ruby, name)?;
        match caller.get_export(&name) {
            Some(ext) => Ok(exports::wrap(ruby, &rb_self.shared, ext, &name)),
            None => Err(wasmer_error(ruby, messages::export_mismatch("the calling instance", &name, None, "export"))),
        }
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Caller", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("memory", method!(Caller::memory, 0))?;
    class.define_method("[]", method!(Caller::aref, 1))?;
    Ok(())
}
