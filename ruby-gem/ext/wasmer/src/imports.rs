//! The imports Hash of `Wasmer::Instance.new`: resolving each import of the module by module
//! and field name (String or Symbol keys), and host functions that call Ruby callables.

use crate::caller::Caller;
use crate::convert;
use crate::host_function::HostFunction;
use crate::errors::{from_engine, link_error, type_error, HostError};
use crate::store::Shared;
use engine::embed::messages::{self, Place};
use engine::{Extern, ExternType, FuncType, Val};
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
        let caller = with_caller.then(|| Caller::begin(&ruby, caller, &shared));
        let returned = call_host(&ruby, &shared, callable, caller, &results, &label, params);
        if let Some(caller) = caller {
            caller.end();
        }
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

/// `imports[module][field]`, with String or Symbol keys.
/// The value given for `module`.`field`, and whether the imports have an entry for `module`.
fn lookup(ruby: &Ruby, imports: Option<RHash>, module: &str, field: &str) -> Result<(Option<Value>, bool), Error> {
    let Some(imports) = imports else {
        return Ok((None, false));
    };
    let get = |hash: RHash, key: &str| -> Option<Value> {
        hash.get(key)
            .or_else(|| hash.get(ruby.to_symbol(key)))
            .filter(|v| !v.is_nil())
    };
    let Some(namespace) = get(imports, module) else {
        return Ok((None, false));
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
    Ok((get(namespace, field), true))
}

/// The store to instantiate `module` in: that of the memories and globals `imports` gives
/// (they must all share one), with the externref Array of that store's objects (an externref
/// is an index in it, wherever in the store it is read), or `None` for a new one. Globals
/// made with `new` and not imported before do not count: they move into the instance's store.
pub fn store_for(
    ruby: &Ruby,
    module: &engine::Module,
    imports: Option<RHash>,
) -> Result<Option<(engine::Store, RArray)>, Error> {
    let mut found: Option<(engine::Store, RArray, String)> = None;
    for import in module.imports() {
        let (m, f) = (import.module.as_str(), import.name.as_str());
        let (Some(value), _) = lookup(ruby, imports, m, f)? else { continue };
        let store = match &import.ty {
            ExternType::Memory(_) => <&crate::memory::Memory>::try_convert(value)
                .ok()
                .map(|m| (m.memory.store(), ruby.get_inner(m.shared.externs))),
            ExternType::Global(_) => <&crate::global::Global>::try_convert(value)
                .ok()
                .and_then(|g| Some((g.fixed_store()?, ruby.get_inner(g.shared.externs)))),
            _ => None,
        };
        let Some((store, externs)) = store else { continue };
        match &found {
            Some((first, _, first_name)) if *first != store => {
                return Err(link_error(
                    ruby,
                    m,
                    f,
                    &format!(
                        "it belongs to another instance than the import {first_name}: the memories and globals an instance imports must all come from one other instance"
                    ),
                ))
            }
            Some(_) => {}
            None => found = Some((store, externs, format!("`{m}`.`{f}`"))),
        }
    }
    Ok(found.map(|(store, externs, _)| (store, externs)))
}

/// The externs for `module`'s imports, in order, made in `store` from `imports`, and from
/// `wasi` for the WASI imports the Hash does not give.
pub fn link(
    ruby: &Ruby,
    store: &engine::Store,
    shared: &Arc<Shared>,
    module: &engine::Module,
    imports: Option<RHash>,
    wasi: Option<&engine::wasi::Wasi>,
    keep: &mut Vec<Opaque<Value>>,
) -> Result<Vec<Extern>, Error> {
    let mut externs = Vec::new();
    for import in module.imports() {
        let (m, f) = (import.module.as_str(), import.name.as_str());
        let (value, module_given) = lookup(ruby, imports, m, f)?;
        let Some(value) = value else {
            if let Some(wasi) = wasi.filter(|_| m == engine::wasi::MODULE) {
                let ext = wasi.resolve(store, &import);
                externs.push(ext.ok_or_else(|| {
                    link_error(ruby, m, f, &format!("WASI preview 1 has no function `{f}`"))
                })?);
                continue;
            }
            let hint = if m == engine::wasi::MODULE {
                " (a WASI program: pass `wasi: Wasmer::Wasi.new(...)`)"
            } else {
                ""
            };
            return Err(link_error(ruby, m, f, &format!("{}{hint}", messages::missing_import(&import, module_given))));
        };
        keep.push(Opaque::from(value));
        let ext = match &import.ty {
            ExternType::Func(ty) => {
                if let Ok(marked) = <&HostFunction>::try_convert(value) {
                    let callable = ruby.get_inner(marked.callable);
                    keep.push(Opaque::from(callable));
                    let func = host_function(store, shared, ty.clone(), callable, true, format!("{m}.{f}"));
                    externs.push(Extern::Func(func));
                    continue;
                }
                if !value.respond_to("call", false)? {
                    return Err(link_error(
                        ruby,
                        m,
                        f,
                        &messages::import_value(
                            &import.ty,
                            "a Proc, a lambda, a Method or a Wasmer::HostFunction",
                            &convert::type_name(value),
                        ),
                    ));
                }
                Extern::Func(host_function(store, shared, ty.clone(), value, false, format!("{m}.{f}")))
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
                        link_error(ruby, m, f, &format!("expected a Wasmer::Global or a number: {what}"))
                    })?;
                    Extern::Global(engine::Global::new(store, *ty, val).map_err(|e| from_engine(ruby, e))?)
                }
            },
            ExternType::Memory(_) => match <&crate::memory::Memory>::try_convert(value) {
                Ok(memory) => Extern::Memory(memory.memory.clone()),
                Err(_) => {
                    return Err(link_error(
                        ruby,
                        m,
                        f,
                        &messages::import_value(&import.ty, "a Wasmer::Memory", &convert::type_name(value)),
                    ))
                }
            },
            ExternType::Table(_) => {
                return Err(link_error(ruby, m, f, "table imports are not supported"))
            }
        };
        externs.push(ext);
    }
    Ok(externs)
}

