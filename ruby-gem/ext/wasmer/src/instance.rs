//! `Wasmer::Instance`: a module instantiated in a store of its own, with its imports linked
//! to Ruby callables.

use crate::errors::{from_engine, link_error, type_error, wasmer_error, HostError};
use crate::exports::Exports;
use crate::memory::Memory;
use crate::module::{self, Module};
use crate::values::{self, ConvError};
use engine::{Extern, ExternType, FuncType, Val};
use magnus::{
    function, gc::Marker, method, prelude::*, scan_args::scan_args, typed_data::Obj,
    value::{LazyId, Opaque},
    DataTypeFunctions, Error, RArray, RHash, RModule, RString, Ruby, TypedData, Value,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

static CALL: LazyId = LazyId::new("call");

/// What an instance and every object taken from it (functions, memories, globals, tables,
/// views) share: the Ruby instance object, the objects wasm holds as externrefs, and which
/// thread is running wasm in the store.
pub struct Shared {
    /// The `Wasmer::Instance`, set as soon as it exists. Objects taken from the instance mark
    /// it, so the Ruby callables its host functions call live as long as any of them.
    instance: OnceLock<Opaque<Value>>,
    /// Ruby objects passed to wasm as externref: the externref is the index. A Ruby Array,
    /// on the stack of Instance.new while it runs (the start function may already store
    /// externrefs), then marked by the instance.
    externs: Opaque<RArray>,
    /// The thread running wasm in this store (a thread-local address), 0 when none.
    running_thread: AtomicUsize,
    depth: AtomicUsize,
}

/// The current Ruby thread (a native thread of its own in Ruby 3.1).
#[inline]
fn thread_token() -> usize {
    unsafe { rb_sys::rb_thread_current() as usize }
}

/// While alive, the current thread is running wasm in the store.
pub struct Running<'a>(&'a Shared);

impl Drop for Running<'_> {
    #[inline]
    fn drop(&mut self) {
        // Only the thread holding Ruby's GVL gets here: plain loads and stores suffice
        // (no locked read-modify-write on the hot path).
        let depth = self.0.depth.load(Ordering::Relaxed) - 1;
        self.0.depth.store(depth, Ordering::Relaxed);
        if depth == 0 {
            self.0.running_thread.store(0, Ordering::Relaxed);
        }
    }
}

impl Shared {
    fn new(externs: RArray) -> Shared {
        Shared {
            instance: OnceLock::new(),
            externs: Opaque::from(externs),
            running_thread: AtomicUsize::new(0),
            depth: AtomicUsize::new(0),
        }
    }

    /// Marks the Ruby instance object: for every object taken from it.
    pub fn mark_instance(&self, marker: &Marker) {
        if let Some(v) = self.instance.get() {
            marker.mark(*v);
        }
    }

    /// Claims the store for the current thread. A store runs wasm on one thread at a time:
    /// another Ruby thread calling in while the first is inside an import gets an error
    /// instead of sharing its stack limit.
    #[inline]
    pub fn enter(&self, ruby: &Ruby) -> Result<Running<'_>, Error> {
        let me = thread_token();
        let owner = self.running_thread.load(Ordering::Relaxed);
        if owner != 0 && owner != me {
            return Err(wasmer_error(
                ruby,
                "this instance is running wasm in another thread; an instance runs on one thread at a time",
            ));
        }
        self.running_thread.store(me, Ordering::Relaxed);
        self.depth.store(self.depth.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Ok(Running(self))
    }

    pub fn intern_extern(&self, v: Value) -> u64 {
        let ruby = unsafe { Ruby::get_unchecked() };
        let externs = ruby.get_inner(self.externs);
        // Pushing to our own unfrozen Array does not fail.
        let _ = externs.push(v);
        (externs.len() - 1) as u64
    }

    pub fn extern_value(&self, ruby: &Ruby, index: u64) -> Value {
        let externs = ruby.get_inner(self.externs);
        externs
            .entry::<Value>(index as isize)
            .unwrap_or_else(|_| ruby.qnil().as_value())
    }
}

/// An instance of a WebAssembly module.
///
/// @example
///   instance = Wasmer::Instance.new(File.binread("sum.wasm"))
///   instance.exports.sum(5, 37) # => 42
#[derive(TypedData)]
#[magnus(class = "Wasmer::Instance", mark, free_immediately, size)]
pub struct Instance {
    pub shared: Arc<Shared>,
    instance: engine::Instance,
    module: engine::Module,
    _store: engine::Store,
    /// The import values (callables, globals) the host functions use.
    imports: Vec<Opaque<Value>>,
    exports: OnceLock<Opaque<Value>>,
}

impl DataTypeFunctions for Instance {
    fn mark(&self, marker: &Marker) {
        for v in &self.imports {
            marker.mark(*v);
        }
        marker.mark(self.shared.externs);
        if let Some(v) = self.exports.get() {
            marker.mark(*v);
        }
    }
}

/// A host function in `store` of type `ty` that calls `callable.call(*args)`.
fn host_function(
    store: &engine::Store,
    shared: &Arc<Shared>,
    ty: FuncType,
    callable: Value,
    label: String,
) -> engine::Func {
    let shared = shared.clone();
    let callable = Opaque::from(callable);
    let results: Box<[engine::ValType]> = ty.results().into();
    engine::Func::new(store, ty, move |_caller, params: &[Val]| {
        let ruby = unsafe { Ruby::get_unchecked() };
        call_host(&ruby, &shared, callable, &results, &label, params).map_err(HostError::into_engine)
    })
}

/// Most host functions take few arguments: theirs live on the stack, where the GC sees them.
const INLINE_ARGS: usize = 8;

fn call_host(
    ruby: &Ruby,
    shared: &Arc<Shared>,
    callable: Opaque<Value>,
    results: &[engine::ValType],
    label: &str,
    params: &[Val],
) -> Result<Vec<Val>, Error> {
    let callable = ruby.get_inner(callable);
    let returned: Value = if params.len() <= INLINE_ARGS {
        let mut args = [ruby.qnil().as_value(); INLINE_ARGS];
        for (slot, p) in args.iter_mut().zip(params) {
            *slot = values::to_ruby(ruby, shared, p);
        }
        callable.funcall(LazyId::get_inner_with(&CALL, ruby), &args[..params.len()])?
    } else {
        let ary = ruby.ary_new_capa(params.len());
        for p in params {
            ary.push(values::to_ruby(ruby, shared, p))?;
        }
        // The Array, on our stack, holds the arguments for the GC; Ruby copies them onto its
        // own stack before running any code that could change it.
        callable.funcall(LazyId::get_inner_with(&CALL, ruby), unsafe { ary.as_slice() })?
    };
    match results {
        [] => Ok(Vec::new()),
        [ty] => values::to_val(shared, returned, *ty)
            .map(|v| vec![v])
            .map_err(|e| e.for_result(ruby, label, 0, *ty, returned)),
        many => {
            let ary = RArray::from_value(returned).ok_or_else(|| {
                type_error(
                    ruby,
                    format!(
                        "import {label} must return an Array of {} values, got {}",
                        many.len(),
                        unsafe { returned.classname() }
                    ),
                )
            })?;
            if ary.len() != many.len() {
                return Err(type_error(
                    ruby,
                    format!(
                        "import {label} must return {} values, got an Array of {}",
                        many.len(),
                        ary.len()
                    ),
                ));
            }
            let mut out = Vec::with_capacity(many.len());
            for (i, ty) in many.iter().enumerate() {
                let v: Value = ary.entry(i as isize)?;
                out.push(
                    values::to_val(shared, v, *ty).map_err(|e| e.for_result(ruby, label, i, *ty, v))?,
                );
            }
            Ok(out)
        }
    }
}

/// `imports[module][field]`, with String or Symbol keys.
fn lookup(ruby: &Ruby, imports: Option<RHash>, module: &str, field: &str) -> Result<Option<Value>, Error> {
    let Some(imports) = imports else {
        return Ok(None);
    };
    let get = |hash: RHash, key: &str| -> Option<Value> {
        hash.get(key)
            .or_else(|| hash.get(ruby.to_symbol(key)))
            .filter(|v| !v.is_nil())
    };
    let Some(namespace) = get(imports, module) else {
        return Ok(None);
    };
    let namespace = RHash::from_value(namespace).ok_or_else(|| {
        type_error(
            ruby,
            format!(
                "imports[{module:?}] must be a Hash of import names to values, got {}",
                unsafe { namespace.classname() }
            ),
        )
    })?;
    Ok(get(namespace, field))
}

/// The externs for `module`'s imports, in order, made in `store` from `imports`.
fn link(
    ruby: &Ruby,
    store: &engine::Store,
    shared: &Arc<Shared>,
    module: &engine::Module,
    imports: Option<RHash>,
    keep: &mut Vec<Opaque<Value>>,
) -> Result<Vec<Extern>, Error> {
    let mut externs = Vec::new();
    for import in module.imports() {
        let (m, f) = (import.module.as_str(), import.name.as_str());
        let Some(value) = lookup(ruby, imports, m, f)? else {
            return Err(link_error(
                ruby,
                m,
                f,
                &format!("missing import: no value for the {} {} in the imports Hash", import.ty.kind(), import.ty),
            ));
        };
        keep.push(Opaque::from(value));
        let ext = match &import.ty {
            ExternType::Func(ty) => {
                if !value.respond_to("call", false)? {
                    return Err(link_error(
                        ruby,
                        m,
                        f,
                        &format!(
                            "expected a Proc, a lambda or a Method for {ty}, got {}",
                            unsafe { value.classname() }
                        ),
                    ));
                }
                Extern::Func(host_function(store, shared, ty.clone(), value, format!("{m}.{f}")))
            }
            ExternType::Global(ty) => {
                let source = match <&crate::global::Global>::try_convert(value) {
                    Ok(g) => {
                        if g.global.ty().mutable || ty.mutable {
                            return Err(link_error(
                                ruby,
                                m,
                                f,
                                "a mutable global cannot be shared between instances; give its value instead",
                            ));
                        }
                        crate::global::value_of(ruby, g)?
                    }
                    Err(_) => value,
                };
                let val = values::to_val(shared, source, ty.content).map_err(|e| match e {
                    ConvError::Type | ConvError::Range => link_error(
                        ruby,
                        m,
                        f,
                        &format!("expected a value for {ty}, got {}", source.inspect()),
                    ),
                })?;
                Extern::Global(engine::Global::new(store, *ty, val).map_err(|e| from_engine(ruby, e))?)
            }
            ExternType::Memory(_) | ExternType::Table(_) => {
                return Err(link_error(
                    ruby,
                    m,
                    f,
                    &format!(
                        "importing a {} is not supported: each instance has a store of its own",
                        import.ty.kind()
                    ),
                ))
            }
        };
        externs.push(ext);
    }
    Ok(externs)
}

impl Instance {
    /// Instantiates a module.
    ///
    /// @param module_or_bytes [Wasmer::Module, String] a compiled module or the binary
    /// @param imports [Hash{String,Symbol => Hash{String,Symbol => Proc,Method,Integer,Float}}]
    ///   the imports by module and name; functions are Procs, lambdas or Methods whose
    ///   signature comes from the module
    /// @return [Wasmer::Instance]
    /// @raise [Wasmer::CompileError] if the bytes are not a valid module
    /// @raise [Wasmer::LinkError] if an import is missing or of the wrong kind
    /// @raise [Wasmer::Trap] if the start function traps
    /// @raise [TypeError] if the first argument is neither a Module nor a String
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Obj<Instance>, Error> {
        let args = scan_args::<(Value,), (Option<Value>,), (), (), (), ()>(args)?;
        let (source,) = args.required;
        let (imports,) = args.optional;
        let module = match <&Module>::try_convert(source) {
            Ok(m) => m.inner.clone(),
            Err(_) => match RString::from_value(source) {
                Some(bytes) => module::compile(ruby, bytes)?,
                None => {
                    return Err(type_error(
                        ruby,
                        format!(
                            "Wasmer::Instance.new expects a Wasmer::Module or a binary String, got {}",
                            unsafe { source.classname() }
                        ),
                    ))
                }
            },
        };
        let imports = match imports {
            None => None,
            Some(v) if v.is_nil() => None,
            Some(v) => Some(RHash::from_value(v).ok_or_else(|| {
                type_error(
                    ruby,
                    format!("imports must be a Hash, got {}", unsafe { v.classname() }),
                )
            })?),
        };
        let store = engine::Store::new(engine::embed::default_engine());
        let extern_refs = ruby.ary_new();
        let shared = Arc::new(Shared::new(extern_refs));
        let mut keep = Vec::new();
        let externs = link(ruby, &store, &shared, &module, imports, &mut keep)?;
        let instance = {
            let _running = shared.enter(ruby)?;
            engine::Instance::new(&store, &module, &externs).map_err(|e| from_engine(ruby, e))?
        };
        drop(externs);
        // The store's memories and code live outside Ruby's heap: tell the GC, so that
        // instances dropped in a loop are collected before their reservations pile up.
        let outside = (1usize << 20) + instance.memory().map_or(Ok(0), |m| m.size()).map_err(|e| from_engine(ruby, e))?;
        ruby.gc_adjust_memory_usage(outside as isize);
        let obj = ruby.obj_wrap(Instance {
            shared: shared.clone(),
            instance,
            module,
            _store: store,
            imports: keep,
            exports: OnceLock::new(),
        });
        let _ = shared.instance.set(Opaque::from(obj.as_value()));
        // Until here the externref Array lived on this stack only.
        std::hint::black_box(extern_refs);
        let exports = Exports::build(ruby, &obj)?;
        let _ = obj.exports.set(Opaque::from(exports.as_value()));
        Ok(obj)
    }

    pub fn engine_instance(&self) -> &engine::Instance {
        &self.instance
    }

    /// The exports: each one is a method (`exports.sum(1, 2)`), and `exports[:name]`
    /// reaches every export, also those named like an Object method.
    ///
    /// @return [Wasmer::Exports]
    fn exports(ruby: &Ruby, rb_self: &Self) -> Value {
        match rb_self.exports.get() {
            Some(v) => ruby.get_inner(*v),
            None => ruby.qnil().as_value(),
        }
    }

    /// The first exported memory.
    ///
    /// @return [Wasmer::Memory, nil]
    fn memory(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        let exports: Obj<Exports> = Obj::try_convert(Instance::exports(ruby, rb_self))?;
        Ok(exports.first_memory().unwrap_or_else(|| ruby.qnil().as_value()))
    }

    /// Makes the wasm code running in this instance trap with code `:interrupt` at its next
    /// function entry or loop iteration. Safe from any thread, and from an import.
    ///
    /// @return [nil]
    fn interrupt(&self) {
        self._store.interrupt_handle().interrupt();
    }

    /// The module this is an instance of.
    ///
    /// @return [Wasmer::Module]
    fn module(&self) -> Module {
        Module {
            inner: self.module.clone(),
        }
    }
}

/// A Memory wrapper for `memory` of the instance (used by Exports).
pub fn wrap_memory(ruby: &Ruby, shared: &Arc<Shared>, memory: engine::Memory, name: &str) -> Value {
    ruby.obj_wrap(Memory::new(shared.clone(), memory, name)).as_value()
}

pub fn init(_ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Instance", _ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", function!(Instance::new, -1))?;
    class.define_method("exports", method!(Instance::exports, 0))?;
    class.define_method("memory", method!(Instance::memory, 0))?;
    class.define_method("module", method!(Instance::module, 0))?;
    class.define_method("interrupt", method!(Instance::interrupt, 0))?;
    Ok(())
}
