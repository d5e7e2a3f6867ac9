//! The imports Hash of `Wasmer::Instance.new`: resolving each import of the module by module
//! and field name (String or Symbol keys), and host functions that call Ruby callables.

use crate::caller::Caller;
use crate::convert;
use crate::helpers::fibers::Holding;
use crate::host_function::HostFunction;
use crate::errors::{from_engine, link_error, type_error, HostError};
use crate::store::Shared;
use engine::embed::link::{self, Given, Imports as _};
use engine::embed::messages::{self, Place};
use engine::{Extern, ExternType, FuncType, ImportType, Val};
use magnus::{prelude::*, typed_data::Obj, value::{LazyId, Opaque}, Error, RArray, RHash, Ruby, Value};
use std::sync::Arc;

static CALL: LazyId = LazyId::new("call");

/// Interns what host functions call now, not on first use (see errors::init).
pub fn init(ruby: &Ruby) {
    LazyId::force(&CALL, ruby);
}

/// A host function in `store` of type `ty` that calls `callable.call(*args)`, or with
/// `with_caller`, `callable.call(caller, *args)`.
fn host_function(
    store: &engine::Store,
    shared: &Arc<Shared>,
    ty: FuncType,
    callable: Value,
    with_caller: bool,
    label: String,
) -> engine::Func {
    let shared = shared.clone();
    let callable = Opaque::from(callable);
    let results: Box<[engine::ValType]> = ty.results().into();
    engine::Func::new(store, ty, move |caller, params: &[Val]| {
        let ruby = unsafe { Ruby::get_unchecked() };
        let holding = Holding::new(&ruby, caller);
        let caller = with_caller.then(|| Caller::begin(&ruby, caller, &shared));
        if let Some(caller) = caller {
            holding.cover(&caller);
        }
        // In memory, not only in a register, where Ruby finds it on a suspended Fiber's stack.
        std::hint::black_box(&holding);
        let returned = call_host(&ruby, &shared, callable, caller, &results, &label, params);
        if let Some(caller) = caller {
            caller.end();
        }
        drop(holding);
        returned.map_err(HostError::into_engine)
    })
}

/// Most host functions take few arguments: theirs live on the stack, where the GC sees them.
const INLINE_ARGS: usize = 8;

fn call_host(
    ruby: &Ruby,
    shared: &Arc<Shared>,
    callable: Opaque<Value>,
    caller: Option<Obj<Caller>>,
    results: &[engine::ValType],
    label: &str,
    params: &[Val],
) -> Result<Vec<Val>, Error> {
    let callable = ruby.get_inner(callable);
    let first = caller.map(|c| c.as_value());
    let count = params.len() + usize::from(first.is_some());
    let returned: Value = if count <= INLINE_ARGS {
        let mut args = [ruby.qnil().as_value(); INLINE_ARGS];
        let values = first.into_iter().chain(params.iter().map(|p| convert::to_ruby(ruby, shared, p)));
        for (slot, v) in args.iter_mut().zip(values) {
            *slot = v;
        }
        callable.funcall(LazyId::get_inner_with(&CALL, ruby), &args[..count])?
    } else {
        let ary = ruby.ary_new_capa(count);
        if let Some(first) = first {
            ary.push(first)?;
        }
        for p in params {
            ary.push(convert::to_ruby(ruby, shared, p))?;
        }
        // The Array, on our stack, holds the arguments for the GC; Ruby copies them onto its
        // own stack before running any code that could change it.
        callable.funcall(LazyId::get_inner_with(&CALL, ruby), unsafe { ary.as_slice() })?
    };
    let place = |position| Place::Result { function: label, position };
    match results {
        [] => Ok(Vec::new()),
        [ty] => Ok(vec![convert::to_val_at(ruby, shared, place(None), returned, *ty)?]),
        many => {
            let ary = match RArray::from_value(returned) {
                Some(ary) if ary.len() == many.len() => ary,
                other => {
                    let given = match other {
                        Some(ary) => messages::list_of(ary.len()),
                        None => convert::type_name(returned),
                    };
                    return Err(type_error(ruby, messages::result_list(label, many, &given)));
                }
            };
            let mut out = Vec::with_capacity(many.len());
            for (i, ty) in many.iter().enumerate() {
                let v: Value = ary.entry(i as isize)?;
                out.push(convert::to_val_at(ruby, shared, place(Some(i + 1)), v, *ty)?);
            }
            Ok(out)
        }
    }
}

/// The imports Hash as the engine's linker reads it: `imports[module][field]`, with String or
/// Symbol keys. A value found is kept in the Array `found` and known by its index there: the
/// GC sees and updates the Array, where it would neither see nor update a Rust copy (a
/// compacting GC may move the Hash's values).
pub struct RubyImports<'a> {
    ruby: &'a Ruby,
    imports: Option<RHash>,
    found: RArray,
}

impl link::Imports for RubyImports<'_> {
    type Value = usize;
    type Joined = Obj<crate::store::ExternTable>;
    type Error = Error;

    fn get(&self, import: &ImportType) -> Result<Given<usize>, Error> {
        let ruby = self.ruby;
        let Some(imports) = self.imports else {
            return Ok(Given::NoModule);
        };
        let get = |hash: RHash, key: &str| -> Option<Value> {
            hash.get(key)
                .or_else(|| hash.get(ruby.to_symbol(key)))
                .filter(|v| !v.is_nil())
        };
        let Some(namespace) = get(imports, &import.module) else {
            return Ok(Given::NoModule);
        };
        let namespace = RHash::from_value(namespace).ok_or_else(|| {
            type_error(
                ruby,
                format!(
                    "imports[{:?}] must be a Hash of import names to values, got {}",
                    import.module,
                    unsafe { namespace.classname() }
                ),
            )
        })?;
        Ok(match get(namespace, &import.name) {
            Some(value) => {
                // Pushing to our own unfrozen Array does not fail.
                let _ = self.found.push(value);
                Given::Value(self.found.len() - 1)
            }
            None => Given::NoField,
        })
    }

    /// The store of a memory, table or global given, with the externref table of that store's
    /// objects (an externref is an index in it, wherever in the store it is read).
    fn store_of(&self, index: &usize) -> Option<(engine::Store, Obj<crate::store::ExternTable>)> {
        let ruby = self.ruby;
        let value = self.value(*index);
        if let Ok(m) = <&crate::memory::Memory>::try_convert(value) {
            return Some((m.memory.store(), ruby.get_inner(m.shared.externs)));
        }
        if let Ok(t) = <&crate::table::Table>::try_convert(value) {
            return Some((t.table.store(), ruby.get_inner(t.shared.externs)));
        }
        let g = <&crate::global::Global>::try_convert(value).ok()?;
        Some((g.fixed_store()?, ruby.get_inner(g.shared.externs)))
    }

    fn link_error(&self, import: &ImportType, message: String) -> Error {
        link_error(self.ruby, &import.module, &import.name, &message)
    }

    fn wasi_hint(&self) -> &'static str {
        " (a WASI program: pass `wasi: Wasmer::Wasi.new(...)`)"
    }
}

impl<'a> RubyImports<'a> {
    /// Lives on the stack of `Instance.new`, where the GC finds its Array.
    pub fn new(ruby: &'a Ruby, imports: Option<RHash>) -> RubyImports<'a> {
        RubyImports { ruby, imports, found: ruby.ary_new() }
    }

    fn value(&self, index: usize) -> Value {
        self.found.entry(index as isize).unwrap_or_else(|_| self.ruby.qnil().as_value())
    }
}

/// The externs for the imports `found` of `module`, in order, made in `store` from the Hash,
/// and from `wasi` for the WASI imports the Hash does not give. The Ruby values given are
/// pushed to `keep`, which the instance marks.
pub fn link<'a>(
    imports: &RubyImports<'a>,
    found: link::Found<RubyImports<'a>>,
    store: &engine::Store,
    shared: &Arc<Shared>,
    module: &engine::Module,
    wasi: Option<&engine::wasi::Wasi>,
    keep: &mut Vec<Opaque<Value>>,
) -> Result<Vec<Extern>, Error> {
    let ruby = imports.ruby;
    link::externs(imports, module, found, store, wasi, |import, index| {
        let value = imports.value(index);
        let (m, f) = (import.module.as_str(), import.name.as_str());
        keep.push(Opaque::from(value));
        let expected = |what: &str| imports.link_error(import, messages::import_value(&import.ty, what, &convert::type_name(value)));
        Ok(match &import.ty {
            ExternType::Func(ty) => {
                if let Ok(marked) = <&HostFunction>::try_convert(value) {
                    let callable = ruby.get_inner(marked.callable);
                    keep.push(Opaque::from(callable));
                    Extern::Func(host_function(store, shared, ty.clone(), callable, true, format!("{m}.{f}")))
                } else if value.respond_to("call", false)? {
                    Extern::Func(host_function(store, shared, ty.clone(), value, false, format!("{m}.{f}")))
                } else {
                    return Err(expected("a Proc, a lambda, a Method or a Wasmer::HostFunction"));
                }
            }
            ExternType::Global(ty) => match <&crate::global::Global>::try_convert(value) {
                Ok(g) => Extern::Global(g.adopt(store).map_err(|e| from_engine(ruby, e))?),
                Err(_) => {
                    let val = convert::to_val(shared, value, ty.content).map_err(|e| {
                        let what = messages::mismatch(
                            Place::Value("the value"),
                            ty.content,
                            e,
                            &convert::type_name(value),
                            value.inspect(),
                        );
                        imports.link_error(import, format!("expected a Wasmer::Global or a number: {what}"))
                    })?;
                    Extern::Global(engine::Global::new(store, *ty, val).map_err(|e| from_engine(ruby, e))?)
                }
            },
            ExternType::Memory(_) => match <&crate::memory::Memory>::try_convert(value) {
                Ok(memory) => Extern::Memory(memory.memory.clone()),
                Err(_) => return Err(expected("a Wasmer::Memory")),
            },
            ExternType::Table(_) => match <&crate::table::Table>::try_convert(value) {
                Ok(table) => Extern::Table(table.table.clone()),
                Err(_) => return Err(expected("a Wasmer::Table")),
            },
        })
    })
}
