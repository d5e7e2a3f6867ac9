//! `Wasmer::Instance`: a module instantiated in a store of its own, with its imports linked
//! to Ruby callables.

use crate::convert;
use crate::errors::{from_engine, type_error};
use crate::exports::Exports;
use crate::imports;
use crate::memory::Memory;
use crate::module::{self, Module};
use crate::store::Shared;
use crate::wasi::Wasi;
use engine::embed::limits::Limits;
use magnus::{
    function, gc::Marker, method, prelude::*,
    scan_args::{get_kwargs, scan_args},
    typed_data::Obj,
    value::Opaque,
    DataTypeFunctions, Error, RHash, RModule, Ruby, TypedData, Value,
};
use std::sync::{Arc, OnceLock};

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
    /// @param wasi [Wasmer::Wasi, nil] for a WASI module used as a library: the WASI imports
    ///   the Hash does not give come from it, and the module's `_initialize` runs if exported
    /// @param timeout [Float, Integer, nil] a time limit in seconds for each call (and for the
    ///   start function): past it the call raises Wasmer::Trap with code :timeout
    /// @param fuel [Integer, nil] units of fuel (one per wasm instruction) the instance may
    ///   use, start function included: past them a call raises Wasmer::Trap with code
    ///   :out_of_fuel; see #fuel and #add_fuel
    /// @param memory_limit [Integer, nil] a cap in bytes on the instance's memories: past it
    ///   `memory.grow` returns -1, and a module whose memory minimum does not fit raises
    ///   Wasmer::Error
    /// @raise [ArgumentError] if fuel: or memory_limit: is negative, or timeout: not positive
    /// @raise [Wasmer::Trap] if the start function traps
    /// @raise [TypeError] if the first argument is neither a Module, a String nor a Pathname
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Obj<Instance>, Error> {
        let args = scan_args::<(Value,), (Option<Value>,), (), (), RHash, ()>(args)?;
        let (source,) = args.required;
        let (imports,) = args.optional;
        type Options = (Option<Value>, Option<Value>, Option<Value>, Option<Value>);
        let kwargs = get_kwargs::<_, (), Options, ()>(args.keywords, &[], &["wasi", "timeout", "fuel", "memory_limit"])?;
        let (wasi, timeout, fuel, memory_limit) = kwargs.optional;
        let present = |v: Option<Value>| v.filter(|v| !v.is_nil());
        let timeout = match present(timeout) {
            None => None,
            Some(t) => {
                let seconds = convert::to_f64(t).map_err(|_| {
                    type_error(ruby, format!("Wasmer::Instance.new: timeout: must be a number of seconds, got {}", convert::type_name(t)))
                })?;
                if !(seconds > 0.0 && seconds.is_finite()) {
                    return Err(crate::errors::argument_error(
                        ruby,
                        format!("Wasmer::Instance.new: timeout: must be a positive number of seconds, got {}", t.inspect()),
                    ));
                }
                Some(std::time::Duration::from_secs_f64(seconds))
            }
        };
        let limits = Limits {
            timeout,
            fuel: present(fuel).map(|v| count(ruby, "fuel", "units of fuel", v)).transpose()?,
            memory: present(memory_limit).map(|v| count(ruby, "memory_limit", "bytes", v)).transpose()?.map(|n| n as usize),
        };
        let wasi = match wasi.filter(|w| !w.is_nil()) {
            None => None,
            Some(w) => Some(<&Wasi>::try_convert(w).map_err(|_| {
                type_error(
                    ruby,
                    format!("Wasmer::Instance.new: wasi: must be a Wasmer::Wasi, got {}", convert::type_name(w)),
                )
            })?),
        };
        let module = module::from_value(ruby, source, "Wasmer::Instance.new")?;
        let obj = Instance::build(ruby, &module, imports, wasi.map(|w| w.inner()), limits)?;
        if wasi.is_some() {
            engine::wasi::initialize(&obj.instance).map_err(|e| from_engine(ruby, e))?;
        }
        Ok(obj)
    }

    /// An instance of `module` linked to `imports` (a Hash or nil) and `wasi`.
    pub fn build(
        ruby: &Ruby,
        module: &engine::Module,
        imports: Option<Value>,
        wasi: Option<&engine::wasi::Wasi>,
        limits: Limits,
    ) -> Result<Obj<Instance>, Error> {
        let module = module.clone();
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
        let imports = imports::RubyImports::new(ruby, imports);
        // The store is that of the memories, tables and globals given (they must share one), with
        // the externref table of its objects; or a new one.
        let mut found = engine::embed::link::find(&imports, &module, wasi.is_some())?;
        let (store, extern_refs) = match found.store.take() {
            Some(joined) => joined,
            None => (crate::store::new_store(), crate::store::ExternTable::new(ruby)),
        };
        limits.apply(&store).map_err(|e| from_engine(ruby, e))?;
        let shared = Arc::new(Shared::new(&store, extern_refs));
        let mut keep = Vec::new();
        let externs = imports::link(&imports, found, &store, &shared, &module, wasi, &mut keep)?;
        let instance = engine::Instance::new(&store, &module, &externs).map_err(|e| from_engine(ruby, e))?;
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
        // Until here the externref table and the values found lived on this stack only.
        std::hint::black_box(extern_refs);
        std::hint::black_box(&imports);
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
        let exports = rb_self.exports.get_or_init(|| {
            let exports = Exports::new(rb_self.shared.clone(), rb_self.instance.clone(), rb_self.module.clone());
            Opaque::from(ruby.obj_wrap(exports).as_value())
        });
        ruby.get_inner(*exports)
    }

    /// The first exported memory.
    ///
    /// @return [Wasmer::Memory, nil]
    fn memory(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        let exports: Obj<Exports> = Obj::try_convert(Instance::exports(ruby, rb_self))?;
        Ok(exports.first_memory(ruby).unwrap_or_else(|| ruby.qnil().as_value()))
    }

    /// Makes the wasm code running in this instance trap with code `:interrupt` at its next
    /// function entry or loop iteration. Safe from any thread, and from an import.
    ///
    /// @return [nil]
    fn interrupt(&self) {
        self._store.interrupt_handle().interrupt();
    }

    /// The fuel left, or nil when the instance was made without fuel.
    ///
    /// @return [Integer, nil]
    fn fuel(ruby: &Ruby, rb_self: &Self) -> Result<Option<u64>, Error> {
        rb_self._store.fuel().map_err(|e| from_engine(ruby, e))
    }

    /// Adds fuel (also from an import, to let the call that called it go on).
    ///
    /// @param units [Integer]
    /// @return [Integer] the fuel left now
    /// @raise [Wasmer::Error] if the instance was made without fuel
    /// @raise [ArgumentError] if units is negative
    fn add_fuel(ruby: &Ruby, rb_self: &Self, units: Value) -> Result<u64, Error> {
        let units = count(ruby, "add_fuel", "units of fuel", units)?;
        rb_self._store.add_fuel(units).map_err(|e| from_engine(ruby, e))
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

/// A non-negative Integer for the option or method `name`: a TypeError for anything else, an
/// ArgumentError when negative or beyond 2**64-1.
fn count(ruby: &Ruby, name: &str, unit: &str, v: Value) -> Result<u64, Error> {
    match convert::integer_in(v, 0, u64::MAX as i128) {
        Ok(n) => Ok(n as u64),
        Err(engine::embed::convert::Mismatch::Range) => Err(crate::errors::argument_error(
            ruby,
            format!("Wasmer::Instance {name}: must be a number of {unit} from 0 to 2**64-1, got {}", v.inspect()),
        )),
        Err(_) => Err(type_error(
            ruby,
            format!("Wasmer::Instance {name}: must be an Integer number of {unit}, got {}", convert::type_name(v)),
        )),
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
    class.define_method("fuel", method!(Instance::fuel, 0))?;
    class.define_method("add_fuel", method!(Instance::add_fuel, 1))?;
    Ok(())
}
