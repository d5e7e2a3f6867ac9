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
use engine::embed::link::{self, Given, Imports as _};
use engine::embed::messages::{self, Place};
use crate::exception::link_error;
use crate::global_variable::GlobalVariable;
use crate::memory::Memory;
use crate::table::Table;
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

/// The imports array as the engine's linker reads it.
struct PhpImports<'a> {
    imports: Option<&'a ZendHashTable>,
    callables: &'a Rc<Callables>,
}

impl<'a> link::Imports for PhpImports<'a> {
    type Value = &'a Zval;
    type Joined = ();
    type Error = Raise;

    fn get(&self, import: &ImportType) -> Result<Given<&'a Zval>, Raise> {
        let Some(module) = self.imports.and_then(|i| i.get(import.module.as_str())) else {
            return Ok(Given::NoModule);
        };
        let module = module.dereference();
        let Some(fields) = module.array() else {
            let message = format!(
                "the imports entry `{}` must be an array, {} given",
                import.module,
                convert::type_name(module)
            );
            return Err(self.link_error(import, message));
        };
        Ok(match fields.get(import.name.as_str()) {
            Some(value) => Given::Value(value.dereference()),
            None => Given::NoField,
        })
    }

    fn store_of(&self, value: &&'a Zval) -> Option<(engine::Store, ())> {
        let obj = value.object()?;
        if let Some(m) = ZendClassObject::<Memory>::from_zend_obj(obj) {
            return Some((m.memory.store(), ()));
        }
        if let Some(t) = ZendClassObject::<Table>::from_zend_obj(obj) {
            return Some((t.table.store(), ()));
        }
        ZendClassObject::<GlobalVariable>::from_zend_obj(obj)?.fixed_store().map(|s| (s, ()))
    }

    fn link_error(&self, import: &ImportType, message: String) -> Raise {
        Raise::new(link_error::ce(), &messages::link_error(import, message))
    }

    fn wasi_hint(&self) -> &'static str {
        " (a WASI program: pass `wasi: new Wasm\\Wasi(...)`)"
    }
}

/// The extern for `import` made in `store` from the PHP value given.
fn make(imports: &PhpImports<'_>, store: &engine::Store, import: &ImportType, value: &Zval) -> Result<Extern, Raise> {
    let expected = |what: &str| imports.link_error(import, messages::import_value(&import.ty, what, &convert::type_name(value)));
    Ok(match &import.ty {
        ExternType::Func(ty) => {
            let marked = value.object().and_then(ZendClassObject::<HostFunction>::from_zend_obj);
            let (callable, with_caller) = match marked {
                Some(f) => (&f.callable, true),
                None if value.is_callable() => (value, false),
                None => return Err(expected("a callable or a Wasm\\HostFunction")),
            };
            let index = imports.callables.push(callable.shallow_clone());
            let name = format!("{}.{}", import.module, import.name);
            Extern::Func(engine::Func::new(
                store,
                ty.clone(),
                host_function(imports.callables.clone(), index, ty.clone(), name, with_caller),
            ))
        }
        ExternType::Memory(_) => match value.object().and_then(ZendClassObject::<Memory>::from_zend_obj) {
            Some(m) => Extern::Memory(m.memory.clone()),
            None => return Err(expected("a Wasm\\Memory")),
        },
        ExternType::Global(ty) => match value.object().and_then(ZendClassObject::<GlobalVariable>::from_zend_obj) {
            Some(g) => Extern::Global(g.adopt(store).map_err(crate::errors::raise)?),
            None => {
                let val = convert::to_val(value, ty.content, store).map_err(|m| {
                    let what = convert::mismatch_message(Place::Value("the value"), ty.content, m, value);
                    imports.link_error(import, format!("expected a Wasm\\GlobalVariable or a number: {what}"))
                })?;
                Extern::Global(engine::Global::new(store, *ty, val).map_err(crate::errors::raise)?)
            }
        },
        ExternType::Table(_) => match value.object().and_then(ZendClassObject::<Table>::from_zend_obj) {
            Some(t) => Extern::Table(t.table.clone()),
            None => return Err(expected("a Wasm\\Table")),
        },
    })
}

/// Resolves every import of `module` from `imports`, and the WASI imports the array does not
/// give from `wasi`. Returns the store to instantiate in: that of the memories, globals and
/// tables given as imports, else a new one. Globals made with `new` and not imported before move
/// into that store.
pub fn resolve(
    module: &engine::Module,
    imports: Option<&ZendHashTable>,
    wasi: Option<&engine::wasi::Wasi>,
    callables: &Rc<Callables>,
) -> Result<(engine::Store, Vec<Extern>), Raise> {
    let imports = PhpImports { imports, callables };
    let mut found = link::find(&imports, module, wasi.is_some())?;
    let store = found.store.take().map_or_else(crate::store::new_store, |(store, ())| store);
    let externs = link::externs(&imports, module, found, &store, wasi, |import, value| {
        make(&imports, &store, import, value)
    })?;
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
