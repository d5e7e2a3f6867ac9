//! `Wasmer::Exports`: the exports of an instance, each one a real (singleton) method.
//!
//! An export becomes a singleton method of the exports object the first time it is called
//! (through `method_missing`; `respond_to?` knows every export from the start), all backed by
//! one C function that finds its export from the method's own name (`rb_frame_this_func`),
//! so later calls are plain method calls: no method_missing, no Proc, no allocation. Nothing
//! is made per export until it is used, so instantiating a module with thousands of exports
//! costs no more than one with a single export. Exports named like a method Wasmer::Exports
//! already has (`class`, `send`, `hash`, `[]`, ...) keep that method and are reached with
//! `exports[name]`.

use crate::errors::argument_error;
use engine::embed::call::CallPlan;
use engine::embed::messages;
use crate::function::{self, Function};
use crate::global::Global;
use crate::instance::wrap_memory;
use crate::store::Shared;
use crate::table::Table;
use elsa::FrozenVec;
use magnus::{
    gc::Marker,
    method,
    prelude::*,
    rb_sys::{AsRawId, AsRawValue},
    value::{Id, Lazy, Opaque},
    DataTypeFunctions, Error, RArray, RClass, RModule, RString, Ruby, Symbol, TypedData, Value,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::c_int;
use std::sync::{Arc, OnceLock};

static EXPORTS_CLASS: Lazy<RClass> = Lazy::new(|ruby| crate::root(ruby).const_get("Exports").unwrap());

/// Private methods Ruby itself calls on an object: never replaced by an export.
const HOOKS: &[&str] = &[
    "initialize",
    "initialize_copy",
    "initialize_clone",
    "initialize_dup",
    "method_missing",
    "respond_to_missing?",
    "singleton_method_added",
    "singleton_method_removed",
    "singleton_method_undefined",
];

enum Kind {
    Func(CallPlan),
    Other,
}

struct Entry {
    name: String,
    kind: Kind,
    /// The Wasmer::Function, Memory, Global or Table for the export.
    object: Opaque<Value>,
}

/// The exports of an instance.
///
/// @example
///   exports = instance.exports
///   exports.sum(1, 2)         # a method per export
///   exports[:sum]             # => Wasmer::Function
///   exports.memory            # => Wasmer::Memory
///   exports.respond_to?(:sum) # => true
#[derive(TypedData)]
#[magnus(class = "Wasmer::Exports", mark, free_immediately, size)]
pub struct Exports {
    shared: Arc<Shared>,
    instance: engine::Instance,
    module: engine::Module,
    /// The exports used so far, each made once and never moved (a call in progress holds
    /// its entry while an import may use another export for the first time).
    entries: FrozenVec<Box<Entry>>,
    by_name: RefCell<HashMap<String, usize>>,
    /// The method ID of each export that got a method, sorted, with its entry.
    by_method: RefCell<Vec<(rb_sys::ID, usize)>>,
    /// The last method dispatched, `(method ID, entry)`: a loop calls the same one.
    last_method: Cell<(rb_sys::ID, usize)>,
    /// The name of the first exported memory, once asked for.
    first_memory: OnceLock<Option<String>>,
}

impl DataTypeFunctions for Exports {
    fn mark(&self, marker: &Marker) {
        // Each entry keeps its object's reference: pinned here (rb_gc_mark), so that
        // GC.compact cannot move the object under it.
        for entry in &self.entries {
            marker.mark(entry.object);
        }
        self.shared.mark(marker);
    }
}

/// The C function behind every export method.
fn dispatch(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    let Some(rb_self) = crate::helpers::typed_ref::<Exports>(rb_self) else {
        return Err(crate::errors::type_error(ruby, "not a Wasmer::Exports"));
    };
    let id = unsafe { rb_sys::rb_frame_this_func() };
    let (last, index) = rb_self.last_method.get();
    if last == id {
        return rb_self.call(ruby, &rb_self.entries[index], args);
    }
    let found = {
        let by_method = rb_self.by_method.borrow();
        by_method.binary_search_by_key(&id, |&(m, _)| m).map(|i| by_method[i].1)
    };
    let Ok(index) = found else {
        return Err(Error::new(
            ruby.exception_no_method_error(),
            "this method does not belong to these exports",
        ));
    };
    rb_self.last_method.set((id, index));
    rb_self.call(ruby, &rb_self.entries[index], args)
}

/// The Wasmer::Function, Memory, Global or Table for the export `name`.
pub fn wrap(ruby: &Ruby, shared: &Arc<Shared>, ext: engine::Extern, name: &str) -> Value {
    match ext {
        engine::Extern::Func(f) => ruby.obj_wrap(Function::new(shared.clone(), f, Some(name))).as_value(),
        engine::Extern::Memory(m) => wrap_memory(ruby, shared, m, name),
        engine::Extern::Global(g) => ruby.obj_wrap(Global::new(shared.clone(), g, name)).as_value(),
        engine::Extern::Table(t) => ruby.obj_wrap(Table::new(shared.clone(), t, name)).as_value(),
    }
}

/// The name of the export a Symbol or String names.
pub fn key(ruby: &Ruby, name: Value) -> Result<String, Error> {
    if let Some(sym) = Symbol::from_value(name) {
        Ok(sym.name()?.into_owned())
    } else if let Some(s) = RString::from_value(name) {
        s.to_string()
    } else {
        Err(crate::errors::type_error(
            ruby,
            format!("an export name must be a Symbol or a String, got {}", unsafe { name.classname() }),
        ))
    }
}

impl Exports {
    /// The exports object of `instance`: empty until its exports are used.
    pub fn new(shared: Arc<Shared>, instance: engine::Instance, module: engine::Module) -> Exports {
        Exports {
            shared,
            instance,
            module,
            entries: FrozenVec::new(),
            by_name: RefCell::new(HashMap::new()),
            by_method: RefCell::new(Vec::new()),
            last_method: Cell::new((0, 0)),
            first_memory: OnceLock::new(),
        }
    }

    /// The entry of the export `name`, made on first use; its index.
    fn entry(&self, ruby: &Ruby, name: &str) -> Option<usize> {
        if let Some(&i) = self.by_name.borrow().get(name) {
            return Some(i);
        }
        let ext = self.instance.get_export(name)?;
        let kind = match &ext {
            engine::Extern::Func(f) => Kind::Func(CallPlan::new(f.clone())),
            _ => Kind::Other,
        };
        // Made before the entry exists: the object stays on this stack (where the GC finds
        // it) until the entry, marked by us, holds it.
        let object = wrap(ruby, &self.shared, ext, name);
        self.entries.push(Box::new(Entry {
            name: name.to_owned(),
            kind,
            object: Opaque::from(object),
        }));
        let index = self.entries.len() - 1;
        self.by_name.borrow_mut().insert(name.to_owned(), index);
        std::hint::black_box(object);
        Some(index)
    }

    fn call(&self, ruby: &Ruby, entry: &Entry, args: &[Value]) -> Result<Value, Error> {
        match &entry.kind {
            Kind::Func(plan) => function::call(ruby, &self.shared, plan, &entry.name, args),
            Kind::Other if args.is_empty() => Ok(ruby.get_inner(entry.object)),
            Kind::Other => Err(argument_error(ruby, messages::argument_count(&entry.name, 0, args.len()))),
        }
    }

    /// Whether the export `name` may be a method: not a hook Ruby calls, not a public method
    /// of Wasmer::Exports (private ones, such as Kernel#print, do not count).
    fn may_be_method(ruby: &Ruby, name: &str, id: rb_sys::ID) -> bool {
        let class = ruby.get_inner(&EXPORTS_CLASS);
        !HOOKS.contains(&name) && unsafe { rb_sys::rb_method_boundp(class.as_raw(), id, 1) } == 0
    }

    /// Calls an export not yet a method, and makes it one.
    fn method_missing(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
        let Some(this) = crate::helpers::typed_ref::<Exports>(rb_self) else {
            return Err(crate::errors::type_error(ruby, "not a Wasmer::Exports"));
        };
        let Some((&symbol, args)) = args.split_first() else {
            return Err(argument_error(ruby, "no method name given"));
        };
        let name = key(ruby, symbol)?;
        let id = Id::from(Symbol::from_value(symbol).unwrap_or_else(|| ruby.to_symbol(&name))).as_raw();
        let index = match this.entry(ruby, &name) {
            Some(index) if Self::may_be_method(ruby, &name, id) => index,
            found => {
                let why = match found {
                    Some(_) => format!("use exports[{:?}]", name),
                    None => messages::export_mismatch("the module", &name, None, "function"),
                };
                let exc = ruby.exception_no_method_error().new_instance((
                    format!("undefined method '{name}' for an instance of Wasmer::Exports: {why}"),
                    symbol,
                ))?;
                return Err(exc.into());
            }
        };
        {
            let mut by_method = this.by_method.borrow_mut();
            if let Err(at) = by_method.binary_search_by_key(&id, |&(m, _)| m) {
                by_method.insert(at, (id, index));
            }
        }
        let dispatch_fn = method!(dispatch, -1);
        // SAFETY: `dispatch_fn` is a C function of arity -1 (argc, argv, self), the signature
        // rb_define_method_id expects for that arity.
        unsafe {
            let singleton = rb_sys::rb_singleton_class(rb_self.as_raw());
            rb_sys::rb_define_method_id(
                singleton,
                id,
                Some(std::mem::transmute::<
                    unsafe extern "C" fn(c_int, *const Value, Value) -> Value,
                    unsafe extern "C" fn() -> rb_sys::VALUE,
                >(dispatch_fn)),
                -1,
            );
        }
        this.call(ruby, &this.entries[index], args)
    }

    /// Whether an export `name` answers as a method.
    fn respond_to_missing(ruby: &Ruby, rb_self: &Self, name: Value, _include_all: Value) -> Result<bool, Error> {
        let name = key(ruby, name)?;
        let id = Id::from(ruby.to_symbol(&name)).as_raw();
        Ok(rb_self.instance.get_export(&name).is_some() && Self::may_be_method(ruby, &name, id))
    }

    /// The first exported memory, for Instance#memory.
    pub fn first_memory(&self, ruby: &Ruby) -> Option<Value> {
        let name = self.first_memory.get_or_init(|| {
            let exports = self.module.exports();
            exports.into_iter().find(|e| matches!(e.ty, engine::ExternType::Memory(_))).map(|e| e.name)
        });
        let index = self.entry(ruby, name.as_deref()?)?;
        Some(ruby.get_inner(self.entries[index].object))
    }


    /// The export named `name`: a Wasmer::Function, Memory, Global or Table. Reaches every
    /// export, also one named like an Object method.
    ///
    /// @param name [Symbol, String]
    /// @return [Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table]
    /// @raise [NoMethodError] if there is no such export
    fn aref(ruby: &Ruby, rb_self: &Self, name: Value) -> Result<Value, Error> {
        match rb_self.entry(ruby, &key(ruby, name)?) {
            Some(index) => Ok(ruby.get_inner(rb_self.entries[index].object)),
            None => {
                let exc = ruby.exception_no_method_error().new_instance((
                    messages::export_mismatch("the module", &display_name(name), None, "export"),
                    name,
                ))?;
                Err(exc.into())
            }
        }
    }

    /// Whether there is an export named `name`.
    ///
    /// @param name [Symbol, String]
    /// @return [Boolean]
    fn include(ruby: &Ruby, rb_self: &Self, name: Value) -> Result<bool, Error> {
        Ok(rb_self.instance.get_export(&key(ruby, name)?).is_some())
    }

    /// The export names, in the module's order.
    ///
    /// @return [Array<String>]
    fn names(ruby: &Ruby, rb_self: &Self) -> RArray {
        let names = rb_self.module.export_names();
        let ary = ruby.ary_new_capa(names.len());
        for name in names {
            let _ = ary.push(name);
        }
        ary
    }

    /// The export objects, in the module's order.
    ///
    /// @return [Array<Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table>]
    fn values(ruby: &Ruby, rb_self: &Self) -> RArray {
        let names = rb_self.module.export_names();
        let ary = ruby.ary_new_capa(names.len());
        for name in names {
            if let Some(index) = rb_self.entry(ruby, name) {
                let _ = ary.push(ruby.get_inner(rb_self.entries[index].object));
            }
        }
        ary
    }

    /// The number of exports.
    ///
    /// @return [Integer]
    fn length(&self) -> usize {
        self.module.export_names().len()
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Exports {}>", self.module.export_names().collect::<Vec<_>>().join(", "))
    }
}

fn display_name(name: Value) -> String {
    if let Some(sym) = Symbol::from_value(name) {
        if let Ok(n) = sym.name() {
            return n.into_owned();
        }
    }
    if let Some(s) = RString::from_value(name) {
        if let Ok(n) = s.to_string() {
            return n;
        }
    }
    name.inspect()
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Exports", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("[]", method!(Exports::aref, 1))?;
    class.define_private_method("method_missing", method!(Exports::method_missing, -1))?;
    class.define_private_method("respond_to_missing?", method!(Exports::respond_to_missing, 2))?;
    class.define_method("include?", method!(Exports::include, 1))?;
    class.define_method("key?", method!(Exports::include, 1))?;
    class.define_method("names", method!(Exports::names, 0))?;
    class.define_method("keys", method!(Exports::names, 0))?;
    class.define_method("values", method!(Exports::values, 0))?;
    class.define_method("length", method!(Exports::length, 0))?;
    class.define_method("size", method!(Exports::length, 0))?;
    class.define_method("inspect", method!(Exports::inspect, 0))?;
    class.define_method("to_s", method!(Exports::inspect, 0))?;
    // Now, not on first use (see errors::init).
    Lazy::force(&EXPORTS_CLASS, ruby);
    // each, to_h and Enumerable are in lib/wasmer/exports.rb.
    Ok(())
}
