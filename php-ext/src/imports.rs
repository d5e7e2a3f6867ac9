//! The imports array of `new Wasm\Instance(..., $imports)`: resolving each import of the
//! module by module and field name, and host functions that call PHP callables.
//!
//! A host function calls its callable inside `zend_try`: a PHP exception, a fatal error or
//! any other bailout in PHP code is caught at that boundary and returned to the engine as an
//! error, so that the wasm frames unwind normally. The export call then rethrows the same
//! exception object, or re-raises the bailout, once the engine has returned.

use crate::caller::Caller;
use crate::convert;
use crate::host_function::HostFunction;
use crate::errors::{self, Raise};
use engine::embed::messages::{self, Place};
use crate::exception::link_error;
use crate::global_variable::GlobalVariable;
use crate::memory::Memory;
use engine::{Extern, ExternType, FuncType, ImportType, Val, ValType};
use ext_php_rs::ffi::{_call_user_function_impl, zval};
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};
use ext_php_rs::zend::{ce, try_catch, CatchError, ExecutorGlobals};
use std::cell::UnsafeCell;
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::rc::Rc;

/// The PHP callables of an instance's imports. The instance owns them: it clears them when
/// it is freed (host functions may outlive it inside a store kept alive by a `Wasm\Memory`),
/// and shows them to PHP's cycle collector.
pub struct Callables {
    list: UnsafeCell<Vec<Zval>>,
}

impl Callables {
    pub fn new() -> Rc<Callables> {
        Rc::new(Callables {
            list: UnsafeCell::new(Vec::new()),
        })
    }

    fn push(&self, callable: Zval) -> usize {
        let list = unsafe { &mut *self.list.get() };
        list.push(callable);
        list.len() - 1
    }

    fn get(&self, index: usize) -> Option<*mut zval> {
        let list = unsafe { &mut *self.list.get() };
        list.get_mut(index).map(ptr::from_mut)
    }

    /// Releases the callables, at once.
    pub fn clear(&self) {
        let list = std::mem::take(unsafe { &mut *self.list.get() });
        drop(list);
    }

    /// The callables as a table of zvals, for `get_gc`.
    pub fn gc_table(&self) -> (*mut zval, usize) {
        let list = unsafe { &mut *self.list.get() };
        (list.as_mut_ptr(), list.len())
    }
}

fn link_error(import: &ImportType, message: &str) -> Raise {
    Raise::new(link_error::ce(), &messages::link_error(import, message.to_owned()))
}

/// The value given for `import`, if any.
fn lookup<'a>(imports: Option<&'a ZendHashTable>, import: &ImportType) -> Result<&'a Zval, Raise> {
    let module = imports
        .and_then(|i| i.get(import.module.as_str()))
        .map(|z| z.dereference());
    let Some(module) = module else {
        let hint = if import.module == engine::wasi::MODULE {
            " (a WASI program: pass `wasi: new Wasm\\Wasi(...)`)"
        } else {
            ""
        };
        return Err(link_error(import, &format!("{}{hint}", messages::missing_import(import, false))));
    };
    let Some(fields) = module.array() else {
        return Err(link_error(
            import,
            &format!(
                "the imports entry `{}` must be an array, {} given",
                import.module,
                convert::type_name(module)
            ),
        ));
    };
    fields
        .get(import.name.as_str())
        .map(|z| z.dereference())
        .ok_or_else(|| link_error(import, &messages::missing_import(import, true)))
}

/// The store a wasm object given as an import lives in (none for a global that may move).
fn store_of(value: &Zval) -> Option<engine::Store> {
    let obj = value.object()?;
    if let Some(m) = ZendClassObject::<Memory>::from_zend_obj(obj) {
        return Some(m.memory.store());
    }
    if let Some(g) = ZendClassObject::<GlobalVariable>::from_zend_obj(obj) {
        return g.fixed_store();
    }
    None
}

/// Whether the imports array has an entry for `import`.
fn given(imports: Option<&ZendHashTable>, import: &ImportType) -> bool {
    imports
        .and_then(|i| i.get(import.module.as_str()))
        .and_then(|m| m.dereference().array())
        .is_some_and(|fields| fields.get(import.name.as_str()).is_some())
}

/// Resolves every import of `module` from `imports`, and the WASI imports the array does not
/// give from `wasi`. Returns the store to instantiate in: that of the memories and globals
/// given as imports, else a new one. Globals made with `new` and not imported before move
/// into that store.
pub fn resolve(
    module: &engine::Module,
    imports: Option<&ZendHashTable>,
    wasi: Option<&engine::wasi::Wasi>,
    callables: &Rc<Callables>,
) -> Result<(engine::Store, Vec<Extern>), Raise> {
    let wanted = module.imports();
    let mut values = Vec::with_capacity(wanted.len());
    let mut store: Option<(engine::Store, usize)> = None;
    for (i, import) in wanted.iter().enumerate() {
        if wasi.is_some() && import.module == engine::wasi::MODULE && !given(imports, import) {
            values.push(None);
            continue;
        }
        let value = lookup(imports, import)?;
        if let Some(s) = store_of(value) {
            match &store {
                Some((existing, first)) if *existing != s => {
                    let first = &wanted[*first];
                    return Err(link_error(
                        import,
                        &format!(
                            "it belongs to another instance than the import `{}`.`{}`: the memories and globals an instance imports must all come from one other instance",
                            first.module, first.name
                        ),
                    ));
                }
                Some(_) => {}
                None => store = Some((s, i)),
            }
        }
        values.push(Some(value));
    }
    let store = store.map(|(s, _)| s).unwrap_or_else(crate::store::new_store);

    let mut externs = Vec::with_capacity(wanted.len());
    for (import, value) in wanted.iter().zip(values) {
        let Some(value) = value else {
            let wasi = wasi.and_then(|w| w.resolve(&store, import));
            externs.push(wasi.ok_or_else(|| {
                link_error(import, &format!("WASI preview 1 has no function `{}`", import.name))
            })?);
            continue;
        };
        let ext = match &import.ty {
            ExternType::Func(ty) => {
                let marked = value.object().and_then(ZendClassObject::<HostFunction>::from_zend_obj);
                let (callable, with_caller) = match marked {
                    Some(f) => (&f.callable, true),
                    None if value.is_callable() => (value, false),
                    None => {
                        return Err(link_error(
                            import,
                            &messages::import_value(
                                &import.ty,
                                "a callable or a Wasm\\HostFunction",
                                &convert::type_name(value),
                            ),
                        ))
                    }
                };
                let index = callables.push(callable.shallow_clone());
                let name = format!("{}.{}", import.module, import.name);
                Extern::Func(engine::Func::new(
                    &store,
                    ty.clone(),
                    host_function(callables.clone(), index, ty.clone(), name, with_caller),
                ))
            }
            ExternType::Memory(_) => match value.object().and_then(ZendClassObject::<Memory>::from_zend_obj) {
                Some(m) => Extern::Memory(m.memory.clone()),
                None => {
                    return Err(link_error(
                        import,
                        &messages::import_value(&import.ty, "a Wasm\\Memory", &convert::type_name(value)),
                    ))
                }
            },
            ExternType::Global(ty) => match value.object().and_then(ZendClassObject::<GlobalVariable>::from_zend_obj) {
                Some(g) => Extern::Global(g.adopt(&store).map_err(crate::errors::raise)?),
                None => {
                    let val = convert::to_val(value, ty.content, &store).map_err(|m| {
                        let what = convert::mismatch_message(Place::Value("the value"), ty.content, m, value);
                        link_error(import, &format!("expected a Wasm\\GlobalVariable or a number: {what}"))
                    })?;
                    let global = engine::Global::new(&store, *ty, val).map_err(crate::errors::raise)?;
                    Extern::Global(global)
                }
            },
            ExternType::Table(_) => {
                return Err(link_error(import, "table imports are not supported by the PHP extension"))
            }
        };
        externs.push(ext);
    }
    Ok((store, externs))
}

fn host_error(raise: Raise) -> engine::Error {
    engine::Error::host(raise)
}

/// A host function calling the callable `callables[index]`, named `name` in messages. With
/// `with_caller`, the callable gets a `Wasm\Caller` first.
fn host_function(
    callables: Rc<Callables>,
    index: usize,
    ty: FuncType,
    name: String,
    with_caller: bool,
) -> impl Fn(&mut engine::Caller<'_>, &[Val]) -> engine::Result<Vec<Val>> + 'static {
    move |caller, args: &[Val]| {
        let Some(callable) = callables.get(index) else {
            return Err(host_error(Raise::new(
                crate::exception::wasm_exception::ce(),
                &format!("import {name}: its instance was destroyed"),
            )));
        };
        let mut params: Vec<Zval> = Vec::with_capacity(args.len() + 1);
        if with_caller {
            params.push(Caller::begin(caller));
        }
        params.extend(args.iter().map(convert::to_zval));
        let mut ret = Zval::new();
        let paused = crate::helpers::running::Running::pause();
        let status = try_catch(AssertUnwindSafe(|| unsafe {
            _call_user_function_impl(
                ptr::null_mut(),
                callable,
                &mut ret,
                params.len() as u32,
                params.as_mut_ptr(),
                ptr::null_mut(),
            )
        }));
        drop(paused);
        if with_caller {
            Caller::end(&params[0]);
        }
        let status = match status {
            Ok(status) => status,
            Err(CatchError::Bailout) => return Err(host_error(Raise::Bailout)),
            Err(e) => {
                return Err(host_error(Raise::new(ce::error(), &format!("import {name}: {e}"))));
            }
        };
        drop(params);
        if let Some(exception) = ExecutorGlobals::take_exception() {
            return Err(host_error(Raise::Object(exception)));
        }
        if status != 0 {
            return Err(host_error(Raise::new(
                ce::error(),
                &format!("import {name}: the callable could not be called"),
            )));
        }
        results(&ret, ty.results(), &name, &caller.store()).map_err(host_error)
    }
}

/// The values a callable returned, as the import's declared results.
fn results(ret: &Zval, types: &[ValType], name: &str, store: &engine::Store) -> Result<Vec<Val>, Raise> {
    let convert = |z: &Zval, ty: ValType, position: Option<usize>| {
        convert::to_val(z, ty, store)
            .map_err(|m| errors::mismatch(Place::Result { function: name, position }, ty, m, z))
    };
    match types {
        [] => Ok(Vec::new()),
        [ty] => Ok(vec![convert(ret, *ty, None)?]),
        many => {
            let ret = ret.dereference();
            let list = match ret.array() {
                Some(list) if list.len() == many.len() => list,
                other => {
                    let given = match other {
                        Some(list) => messages::list_of(list.len()),
                        None => convert::type_name(ret),
                    };
                    return Err(Raise::new(ce::type_error(), &messages::result_list(name, many, &given)));
                }
            };
            list.values()
                .zip(many)
                .enumerate()
                .map(|(i, (z, &ty))| convert(z, ty, Some(i + 1)))
                .collect()
        }
    }
}
