//! `Wasmer::Exports`: the exports of an instance, each one a real (singleton) method.
//!
//! Every export gets a singleton method on the exports object, all backed by one C function
//! that finds its export from the method's own name (`rb_frame_this_func`), so a call is a
//! plain method call: no method_missing, no Proc, no allocation. Exports named like a
//! method Wasmer::Exports already has (`class`, `send`, `hash`, `[]`, ...) keep that method
//! and are reached with `exports[name]`.

use crate::errors::argument_error;
use engine::embed::call::CallPlan;
use engine::embed::messages;
use crate::function::{self, Function};
use crate::global::Global;
use crate::instance::{wrap_memory, Instance};
use crate::store::Shared;
use crate::table::Table;
use magnus::{
    gc::Marker,
    method,
    prelude::*,
    rb_sys::{AsRawId, AsRawValue},
    typed_data::Obj,
    value::{Id, Lazy, Opaque},
    DataTypeFunctions, Error, RArray, RClass, RModule, RString, Ruby, Symbol, TypedData, Value,
};
use std::collections::HashMap;
use std::ffi::c_int;
use std::sync::Arc;

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
    entries: Vec<Entry>,
    /// The method ID of each export that got a method, sorted, with its entry.
    by_method: Vec<(rb_sys::ID, usize)>,
    by_name: HashMap<String, usize>,
    /// The export objects, in order: marked through this Array.
    objects: Opaque<RArray>,
}

impl DataTypeFunctions for Exports {
    fn mark(&self, marker: &Marker) {
        marker.mark(self.objects);
        // Each entry keeps a copy of its object's reference: pinned here (rb_gc_mark), so
        // that GC.compact cannot move the object under the copy. The Array alone would let
        // it move (it marks its elements movable).
        for entry in &self.entries {
            marker.mark(entry.object);
        }
        self.shared.mark_instance(marker);
    }
}

/// The C function behind every export method.
fn dispatch(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    let Some(rb_self) = crate::helpers::typed_ref::<Exports>(rb_self) else {
        return Err(crate::errors::type_error(ruby, "not a Wasmer::Exports"));
    };
    let id = unsafe { rb_sys::rb_frame_this_func() };
    let index = match rb_self.by_method.binary_search_by_key(&id, |&(m, _)| m) {
        Ok(i) => rb_self.by_method[i].1,
        Err(_) => {
            return Err(Error::new(
                ruby.exception_no_method_error(),
                "this method does not belong to these exports",
            ))
        }
    };
    let entry = &rb_self.entries[index];
    match &entry.kind {
        Kind::Func(plan) => function::call(ruby, &rb_self.shared, plan, &entry.name, args),
        Kind::Other if args.is_empty() => Ok(ruby.get_inner(entry.object)),
        Kind::Other => Err(argument_error(ruby, messages::argument_count(&entry.name, 0, args.len()))),
    }
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

impl Exports {
    /// Makes the exports object of `instance`, with a method per export.
    pub fn build(ruby: &Ruby, instance: &Obj<Instance>) -> Result<Obj<Exports>, Error> {
        let shared = instance.shared.clone();
        let exports = instance.engine_instance().exports();
        // The new objects live in this Array (on our stack, then marked by the exports
        // object) before the exports object exists.
        let objects = ruby.ary_new_capa(exports.len());
        let mut entries = Vec::with_capacity(exports.len());
        for (name, ext) in exports {
            let kind = match &ext {
                engine::Extern::Func(f) => Kind::Func(CallPlan::new(f.clone())),
                _ => Kind::Other,
            };
            let object = wrap(ruby, &shared, ext, &name);
            objects.push(object)?;
            entries.push(Entry {
                name,
                kind,
                object: Opaque::from(object),
            });
        }
        let class = ruby.get_inner(&EXPORTS_CLASS);
        let mut by_method = Vec::new();
        let mut by_name = HashMap::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            by_name.entry(entry.name.clone()).or_insert(i);
            // Through a Symbol, not `ruby.intern`: that hands Ruby the pointer of the `&str`,
            // dangling (0x1) for the empty name a module may export, and Ruby reads it.
            let id = Id::from(ruby.to_symbol(&entry.name)).as_raw();
            // Public methods of Wasmer::Exports (ex = 1: private ones do not count) and the
            // hooks Ruby calls on its own keep their meaning.
            let taken = HOOKS.contains(&entry.name.as_str())
                || unsafe { rb_sys::rb_method_boundp(class.as_raw(), id, 1) } != 0;
            if !taken && !by_method.iter().any(|&(m, _)| m == id) {
                by_method.push((id, i));
            }
        }
        by_method.sort_unstable_by_key(|&(m, _)| m);
        let obj = ruby.obj_wrap(Exports {
            shared,
            entries,
            by_method,
            by_name,
            objects: Opaque::from(objects),
        });
        let dispatch_fn = method!(dispatch, -1);
        unsafe {
            let singleton = rb_sys::rb_singleton_class(obj.as_raw());
            for &(id, _) in &obj.by_method {
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
        }
        Ok(obj)
    }

    /// The first exported memory, for Instance#memory.
    pub fn first_memory(&self) -> Option<Value> {
        let ruby = unsafe { Ruby::get_unchecked() };
        self.entries
            .iter()
            .map(|e| ruby.get_inner(e.object))
            .find(|v| <&crate::memory::Memory>::try_convert(*v).is_ok())
    }

    fn find(&self, ruby: &Ruby, name: Value) -> Result<Option<&Entry>, Error> {
        let key: String = if let Some(sym) = Symbol::from_value(name) {
            sym.name()?.into_owned()
        } else if let Some(s) = RString::from_value(name) {
            s.to_string()?
        } else {
            return Err(crate::errors::type_error(
                ruby,
                format!(
                    "an export name must be a Symbol or a String, got {}",
                    unsafe { name.classname() }
                ),
            ));
        };
        Ok(self.by_name.get(&key).map(|&i| &self.entries[i]))
    }

    /// The export named `name`: a Wasmer::Function, Memory, Global or Table. Reaches every
    /// export, also one named like an Object method.
    ///
    /// @param name [Symbol, String]
    /// @return [Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table]
    /// @raise [NoMethodError] if there is no such export
    fn aref(ruby: &Ruby, rb_self: &Self, name: Value) -> Result<Value, Error> {
        match rb_self.find(ruby, name)? {
            Some(entry) => Ok(ruby.get_inner(entry.object)),
            None => {
                let exc = ruby.exception_no_method_error().new_instance((
                    format!("undefined export `{}' for Wasmer::Exports", display_name(name)),
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
        Ok(rb_self.find(ruby, name)?.is_some())
    }

    /// The export names, in the module's order.
    ///
    /// @return [Array<String>]
    fn names(ruby: &Ruby, rb_self: &Self) -> RArray {
        let ary = ruby.ary_new_capa(rb_self.entries.len());
        for e in &rb_self.entries {
            let _ = ary.push(e.name.as_str());
        }
        ary
    }

    /// The export objects, in the module's order.
    ///
    /// @return [Array<Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table>]
    fn values(ruby: &Ruby, rb_self: &Self) -> RArray {
        ruby.get_inner(rb_self.objects).dup()
    }

    /// The number of exports.
    ///
    /// @return [Integer]
    fn length(&self) -> usize {
        self.entries.len()
    }

    /// @return [String]
    fn inspect(&self) -> String {
        let names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
        format!("#<Wasmer::Exports {}>", names.join(", "))
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
