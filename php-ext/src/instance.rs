//! `Wasm\Instance`: an instantiated module. Its exported functions are methods:
//! `$instance->sum(5, 37)`.
//!
//! Calls of exports take a fast path: the class's `get_method` object handler recognises an
//! export name and returns an internal function made for that name (shared by all instances,
//! so the VM caches it per call site like any method), whose handler finds the export in
//! `$this`, reads the arguments straight from the VM frame and calls the cached
//! `engine::Func` (through `Func::call_raw` when it takes and returns numbers only). No
//! arguments array is built, no allocation is made. `__call` remains for exports whose name
//! is also the name of a method (`memory`, `exports`, ...).

use crate::convert;
use engine::embed::call::{CallPlan, Slots};
use engine::embed::convert::Mismatch;
use engine::embed::messages::{self, Place};
use crate::errors::{self, Raise};
use crate::exception::bad_method_call_exception;
use crate::global_variable::GlobalVariable;
use crate::imports::{self, Callables};
use crate::memory::Memory;
use crate::table::Table;
use crate::wasi::Wasi;
use crate::module::{self, Module};
use crate::helpers::running::Running;
use crate::helpers::{ini, zend_api};
use engine::embed::limits::Limits;
use engine::{Extern, Val, ValRaw, ValType};
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::ffi::{
    ext_php_rs_zend_string_init, zend_execute_data, zend_function, zend_hash_str_find_ptr_lc,
    zend_internal_function, zend_object, zend_object_handlers, zend_string, zval, HashTable,
    ZEND_ACC_PUBLIC, ZEND_INTERNAL_FUNCTION,
};
use ext_php_rs::prelude::*;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};
use ext_php_rs::zend::ce;
use elsa::FrozenVec;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::os::raw::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::rc::Rc;

/// An exported function, ready to call.
struct Export {
    name: String,
    plan: CallPlan,
    /// Numbers only (`plan.numeric`) with at most `FAST_SLOTS` parameters and at most one result: the shortest path.
    fast: bool,
    /// 0: not yet known, 1: callable through the fast path, 2: a method of the object's
    /// class has the same name, so the method wins and the export is reached via `__call`.
    dispatch: Cell<u8>,
}

/// FxHash: export names are short and trusted enough.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

const NAME_CACHE: usize = 16;
const FAST_SLOTS: usize = 4;
const NOT_FAST: usize = usize::MAX;

/// Releases the callables when the instance goes away, even if the store lives on.
struct OwnedCallables(Rc<Callables>);

impl Drop for OwnedCallables {
    fn drop(&mut self) {
        self.0.clear();
    }
}

/// Everything an instance holds.
pub(crate) struct Core {
    /// The function exports called so far, each made on first use (so that instantiating a
    /// module with thousands of exports costs no more than one with a single export) and
    /// never moved (a call in progress holds its export while an import may call another
    /// for the first time).
    exports: FrozenVec<Box<Export>>,
    /// `get_method`'s answers by the address of an interned method name (the names in
    /// compiled PHP code are interned, so a call site always passes the same string):
    /// `(address, function)`, with a null function for names to leave to the standard handler.
    name_cache: [Cell<(usize, *mut zend_function)>; NAME_CACHE],
    /// The handler's lookups: `(dispatch function id, export index or NOT_FAST)`.
    id_cache: [Cell<(usize, usize)>; NAME_CACHE],
    by_name: RefCell<HashMap<Box<[u8]>, usize, BuildHasherDefault<Fx>>>,
    pub(crate) interrupt: engine::InterruptHandle,
    pub(crate) instance: engine::Instance,
    module: engine::Module,
    store: engine::Store,
    // Last: dropped after the engine objects that might still run its functions.
    callables: OwnedCallables,
}

impl Core {
    pub(crate) fn new(
        module: &engine::Module,
        imports: Option<&ZendHashTable>,
        wasi: Option<&engine::wasi::Wasi>,
        limits: Limits,
    ) -> Result<Core, Raise> {
        let callables = OwnedCallables(Callables::new());
        let (store, externs) = imports::resolve(module, imports, wasi, &callables.0)?;
        limits.apply(&store).map_err(errors::raise)?;
        let interrupt = store.interrupt_handle();
        let instance = {
            // The start function runs here.
            let _running = Running::enter(&interrupt);
            engine::Instance::new(&store, module, &externs).map_err(errors::raise)?
        };
        Ok(Core {
            exports: FrozenVec::new(),
            name_cache: [const { Cell::new((0, ptr::null_mut())) }; NAME_CACHE],
            id_cache: [const { Cell::new((0, NOT_FAST)) }; NAME_CACHE],
            by_name: RefCell::new(HashMap::default()),
            interrupt,
            instance,
            module: module.clone(),
            store,
            callables,
        })
    }

    /// The function export `name`, made on first use.
    #[inline]
    fn lookup(&self, name: &[u8]) -> Option<usize> {
        if let Some(&index) = self.by_name.borrow().get(name) {
            return Some(index);
        }
        self.first_lookup(name)
    }

    #[cold]
    fn first_lookup(&self, name: &[u8]) -> Option<usize> {
        let name = std::str::from_utf8(name).ok()?;
        let Some(Extern::Func(func)) = self.instance.get_export(name) else { return None };
        let plan = CallPlan::new(func);
        self.exports.push(Box::new(Export {
            name: name.to_owned(),
            fast: plan.numeric && plan.params.len() <= FAST_SLOTS && plan.results.len() <= 1,
            plan,
            dispatch: Cell::new(0),
        }));
        let index = self.exports.len() - 1;
        self.by_name.borrow_mut().insert(Box::from(name.as_bytes()), index);
        Some(index)
    }

    /// Calls export `index` with the arguments of a call frame, writing its result to `rv`.
    #[inline(always)]
    fn invoke_frame(&self, index: usize, args: &[Zval], rv: &mut Zval) -> Result<(), Raise> {
        let export = &self.exports[index];
        let plan = &export.plan;
        if !export.fast || args.len() != plan.params.len() {
            return self.invoke(index, args.iter(), rv);
        }
        let mut slots = [ValRaw::default(); FAST_SLOTS];
        for (i, (z, &ty)) in args.iter().zip(plan.params.iter()).enumerate() {
            match convert::to_raw(z, ty) {
                Ok(raw) => slots[i] = raw,
                Err(m) => return Err(argument_error(&export.name, i, ty, m, z)),
            }
        }
        let outcome = {
            let _running = Running::enter(&self.interrupt);
            plan.func.call_raw(&mut slots)
        };
        match outcome {
            Ok(()) => {
                if let Some(&ty) = plan.results.first() {
                    convert::set_raw(slots[0], ty, rv);
                }
                Ok(())
            }
            Err(e) => Err(errors::raise(e)),
        }
    }

    /// Calls export `index` with `args`, writing its results to `rv`.
    #[inline(never)]
    fn invoke<'a, I>(&self, index: usize, args: I, rv: &mut Zval) -> Result<(), Raise>
    where
        I: ExactSizeIterator<Item = &'a Zval>,
    {
        let export = &self.exports[index];
        call(&export.name, &export.plan, &self.interrupt, args, rv)
    }

    fn invoke_by_name<'a, I>(&self, name: &str, args: I) -> PhpResult<Zval>
    where
        I: ExactSizeIterator<Item = &'a Zval>,
    {
        let Some(index) = self.lookup(name.as_bytes()) else {
            return Err(self.unknown_export(name));
        };
        let mut rv = Zval::new();
        self.invoke(index, args, &mut rv).map_err(Raise::into_php)?;
        Ok(rv)
    }

    fn unknown_message(&self, name: &str) -> String {
        let found = self.instance.get_export(name);
        let what = messages::export_mismatch("the module", name, found.as_ref().map(Extern::kind), "function");
        format!("Call to undefined method Wasm\\Instance::{name}(): {what}")
    }

    fn unknown_export(&self, name: &str) -> PhpException {
        errors::exception(bad_method_call_exception(), self.unknown_message(name))
    }
}

/// Calls `plan`'s function, named `name` in messages, with `args`, writing its results to `rv`:
/// the slow path of exports, and what `Wasm\Caller::call` does.
pub(crate) fn call<'a, I>(
    name: &str,
    plan: &CallPlan,
    interrupt: &engine::InterruptHandle,
    args: I,
    rv: &mut Zval,
) -> Result<(), Raise>
where
    I: ExactSizeIterator<Item = &'a Zval>,
{
    plan.check_count(name, args.len())
        .map_err(|m| Raise::new(ce::argument_count_error(), &m))?;
    if plan.numeric {
        let mut slots = Slots::new(plan.slot_count());
        for (i, (z, (slot, &ty))) in args.zip(slots.iter_mut().zip(plan.params.iter())).enumerate() {
            *slot = convert::to_raw(z, ty).map_err(|m| argument_error(name, i, ty, m, z))?;
        }
        let outcome = {
            let _running = Running::enter(interrupt);
            plan.func.call_raw(&mut slots)
        };
        return match outcome {
            Ok(()) => {
                match &*plan.results {
                    [] => {}
                    [ty] => convert::set_raw(slots[0], *ty, rv),
                    many => {
                        let vals: Vec<Val> = many
                            .iter()
                            .zip(slots.iter())
                            .map(|(&ty, &raw)| engine::embed::convert::raw_to_val(raw, ty))
                            .collect();
                        convert::set_results(&vals, rv);
                    }
                }
                Ok(())
            }
            Err(e) => Err(errors::raise(e)),
        };
    }
    let mut vals: Vec<Val> = Vec::with_capacity(plan.params.len());
    let store = plan.func.store();
    for (i, (z, &ty)) in args.zip(plan.params.iter()).enumerate() {
        vals.push(convert::to_val(z, ty, &store).map_err(|m| argument_error(name, i, ty, m, z))?);
    }
    let results = {
        let _running = Running::enter(interrupt);
        plan.func.call(&vals)
    };
    match results {
        Ok(results) => {
            convert::set_results(&results, rv);
            Ok(())
        }
        Err(e) => Err(errors::raise(e)),
    }
}

#[cold]
#[inline(never)]
fn argument_error(function: &str, index: usize, ty: ValType, m: Mismatch, z: &Zval) -> Raise {
    errors::mismatch(Place::Argument { function, position: index + 1 }, ty, m, z)
}

/// An instance of a WebAssembly module, with its own store.
#[php_class]
#[php(name = "Wasm\\Instance")]
pub struct Instance {
    /// Shared with the calls in progress (so that `__construct` called again from an import
    /// cannot free it under them); the functions of the fast path point to it.
    pub(crate) core: Rc<Core>,
}

#[php_impl]
impl Instance {
    /// Instantiates a `Wasm\Module`, or compiles and instantiates a module given as a path to
    /// a `.wasm` file or as its bytes (recognised by the `\0asm` header). With `$wasi`, the
    /// WASI imports the array does not give come from it, and a reactor's `_initialize` runs.
    ///
    /// `$timeout` limits each call (and the start function) in seconds; `$fuel` gives the
    /// instance that many units of fuel, one per wasm instruction, past which a call throws a
    /// `Trap` with code `out_of_fuel`; `$memoryLimit` caps its memories in bytes (past it
    /// `memory.grow` returns -1), by default PHP's `memory_limit`, and never more than it.
    #[php(optional = imports)]
    pub fn __construct(
        pathOrBytesOrModule: &Zval,
        imports: Option<&ZendHashTable>,
        wasi: Option<&Wasi>,
        timeout: Option<f64>,
        fuel: Option<i64>,
        memoryLimit: Option<i64>,
    ) -> PhpResult<Self> {
        let module = module::from_zval(pathOrBytesOrModule, "Wasm\\Instance::__construct")?;
        let wasi = wasi.map(|w| w.inner());
        let timeout = match timeout {
            None => None,
            Some(t) if t > 0.0 && t.is_finite() => Some(std::time::Duration::from_secs_f64(t)),
            Some(t) => {
                return Err(errors::value_error(format!(
                    "Wasm\\Instance::__construct(): Argument #4 ($timeout) must be a positive number of seconds, {t} given"
                )))
            }
        };
        let fuel = fuel.map(|n| count("__construct", 5, "fuel", n)).transpose()?;
        let memory = memoryLimit.map(|n| count("__construct", 6, "memoryLimit", n)).transpose()?;
        let limits = limits(timeout, fuel, memory.map(|m| m as usize));
        let instance = Instance::new(&module, imports, wasi, limits)?;
        if wasi.is_some() {
            let _running = Running::enter(&instance.core.interrupt);
            engine::wasi::initialize(&instance.core.instance).map_err(errors::php)?;
        }
        Ok(instance)
    }

    /// Calls the exported function `$name`; exports are also callable as methods.
    pub fn __call(&self, name: &str, arguments: &ZendHashTable) -> PhpResult<Zval> {
        let args: Vec<&Zval> = arguments.values().collect();
        self.core.clone().invoke_by_name(name, args.into_iter())
    }

    /// Calls the exported function `$name` with `$args`.
    pub fn call(&self, name: &str, args: &[&Zval]) -> PhpResult<Zval> {
        self.core.clone().invoke_by_name(name, args.iter().copied())
    }

    /// The first exported memory.
    pub fn memory(&self) -> PhpResult<Memory> {
        match self.core.instance.memory() {
            Some(memory) => Ok(Memory::new(memory)),
            None => Err(errors::wasm_exception("the module exports no memory")),
        }
    }

    /// The exported global `$name`.
    pub fn global(&self, name: &str) -> PhpResult<GlobalVariable> {
        match self.core.instance.get_export(name) {
            Some(Extern::Global(g)) => Ok(GlobalVariable::new(g, Some(name.into()))),
            found => Err(errors::wasm_exception(messages::export_mismatch(
                "the module",
                name,
                found.as_ref().map(Extern::kind),
                "global",
            ))),
        }
    }

    /// The exported table `$name`.
    pub fn table(&self, name: &str) -> PhpResult<Table> {
        match self.core.instance.get_export(name) {
            Some(Extern::Table(t)) => Ok(Table::new(t)),
            found => Err(errors::wasm_exception(messages::export_mismatch(
                "the module",
                name,
                found.as_ref().map(Extern::kind),
                "table",
            ))),
        }
    }

    /// The exports: name => type, as `Module::exports()` gives them.
    pub fn exports(&self) -> PhpResult<ZBox<ZendHashTable>> {
        module::export_types(&self.core.module)
    }

    /// Whether the module exports a function named `$name`.
    pub fn has_function(&self, name: &str) -> bool {
        self.core.lookup(name.as_bytes()).is_some()
    }

    /// Makes the wasm code running in this instance's store trap with `interrupt` at its next
    /// function entry or loop iteration: from an import, to stop the export call that called
    /// it. When no wasm code is running, the next call traps at once.
    pub fn interrupt(&self) {
        self.core.interrupt.interrupt();
    }

    /// The fuel left, or null when the instance was made without fuel.
    pub fn get_fuel(&self) -> PhpResult<Option<i64>> {
        let fuel = self.core.store.fuel().map_err(errors::php)?;
        Ok(fuel.map(|f| f.min(i64::MAX as u64) as i64))
    }

    /// Adds `$units` of fuel (also from an import, to let the call that called it go on) and
    /// returns the fuel left now.
    pub fn add_fuel(&self, units: i64) -> PhpResult<i64> {
        let units = count("addFuel", 1, "units", units)?;
        let left = self.core.store.add_fuel(units).map_err(errors::php)?;
        Ok(left.min(i64::MAX as u64) as i64)
    }

    /// The module this instance was made from.
    pub fn module(&self) -> Module {
        Module::from_engine(self.core.module.clone())
    }
}

impl Instance {
    pub(crate) fn new(
        module: &engine::Module,
        imports: Option<&ZendHashTable>,
        wasi: Option<&engine::wasi::Wasi>,
        limits: Limits,
    ) -> PhpResult<Instance> {
        Core::new(module, imports, wasi, limits)
            .map(|core| Instance { core: Rc::new(core) })
            .map_err(Raise::into_php)
    }
}

/// The limits of an instance: those given, with PHP's `memory_limit` as the cap on its
/// memories when none or a larger one is given (wasm memories live outside PHP's allocator,
/// where `memory_limit` would not see them).
pub(crate) fn limits(timeout: Option<std::time::Duration>, fuel: Option<u64>, memory: Option<usize>) -> Limits {
    let php = ini::quantity(&ini::ini(c"memory_limit"));
    Limits {
        timeout,
        fuel,
        memory: match (memory, php) {
            (Some(given), Some(php)) => Some(given.min(php)),
            (given, php) => given.or(php),
        },
    }
}

/// Argument `position` of `method` that counts something: 0 or more, else a `\\ValueError`.
fn count(method: &str, position: usize, name: &str, n: i64) -> PhpResult<u64> {
    u64::try_from(n).map_err(|_| {
        errors::value_error(format!(
            "Wasm\\Instance::{method}(): Argument #{position} (${name}) must be greater than or equal to 0, {n} given"
        ))
    })
}

// ---------------------------------------------------------------------------------------
// The fast path: get_method returning the export's own function.

/// The first argument's slot in a call frame: `ZEND_CALL_FRAME_SLOT`.
const FRAME_SLOT: usize = std::mem::size_of::<zend_execute_data>().div_ceil(std::mem::size_of::<zval>());

static mut HANDLERS: *const zend_object_handlers = ptr::null();

/// The instance of an object of class `Wasm\Instance` (or a subclass): our handlers mean our
/// `create_object` made it, so it is a `ZendClassObject<Instance>`.
#[inline]
fn from_obj<'a>(obj: *const zend_object) -> Option<&'a Instance> {
    unsafe {
        if obj.is_null() || (*obj).handlers != HANDLERS {
            return None;
        }
        let offset = std::mem::offset_of!(ZendClassObject<Instance>, std);
        let this = obj.cast::<u8>().sub(offset).cast::<ZendClassObject<Instance>>();
        (*this).obj.as_ref()
    }
}

/// The function `get_method` returns for exports named `name`, shared by all instances so
/// that the VM may cache it per call site and class like any method: its handler finds the
/// export in `$this`, and identifies the name by the id in `reserved[0]`. Made on first use
/// and kept for the life of the process (with its name, a persistent string).
fn dispatch_function(name: &[u8]) -> *mut zend_function {
    thread_local! {
        static FUNCTIONS: RefCell<HashMap<Box<[u8]>, usize, BuildHasherDefault<Fx>>> =
            RefCell::new(HashMap::default());
    }
    FUNCTIONS.with(|functions| {
        let mut functions = functions.borrow_mut();
        if let Some(&f) = functions.get(name) {
            return f as *mut zend_function;
        }
        let id = functions.len() + 1;
        let mut f: Box<zend_internal_function> = Box::new(unsafe { std::mem::zeroed() });
        f.type_ = ZEND_INTERNAL_FUNCTION as u8;
        f.fn_flags = ZEND_ACC_PUBLIC;
        f.function_name = unsafe { ext_php_rs_zend_string_init(name.as_ptr().cast(), name.len(), true) };
        f.scope = ptr::from_ref(Instance::get_metadata().ce()).cast_mut();
        f.handler = Some(export_handler);
        f.reserved[0] = id as *mut c_void;
        let f = Box::into_raw(f);
        functions.insert(name.into(), f as usize);
        f.cast()
    })
}

/// The function for `name` when it is an export of `core` called through the fast path on
/// `obj` (not when the object's class has a method of that name).
fn fast_export_slow(core: &Core, name: &[u8], obj: *mut zend_object) -> *mut zend_function {
    let Some(index) = core.lookup(name) else { return ptr::null_mut() };
    let export = &core.exports[index];
    let fast = match export.dispatch.get() {
        1 => true,
        2 => false,
        _ => {
            let fast = unsafe {
                let table = ptr::addr_of_mut!((*(*obj).ce).function_table);
                zend_hash_str_find_ptr_lc(table, name.as_ptr().cast(), name.len()).is_null()
            };
            export.dispatch.set(if fast { 1 } else { 2 });
            fast
        }
    };
    if fast {
        dispatch_function(name)
    } else {
        ptr::null_mut()
    }
}

#[inline]
fn fast_export(core: &Core, name: *mut zend_string, obj: *mut zend_object) -> *mut zend_function {
    let interned = unsafe { zend_api::zend_string_is_interned(name) };
    let key = name as usize;
    let slot = &core.name_cache[(key >> 4) % NAME_CACHE];
    if interned {
        let (cached, function) = slot.get();
        if cached == key {
            return function;
        }
    }
    let found = fast_export_slow(core, unsafe { zend_api::zend_string_bytes(name) }, obj);
    if interned {
        slot.set((key, found));
    }
    found
}

unsafe extern "C" fn get_method(
    obj_ptr: *mut *mut zend_object,
    name: *mut zend_string,
    key: *const zval,
) -> *mut zend_function {
    let obj = *obj_ptr;
    if let Some(instance) = from_obj(obj) {
        let function = fast_export(&instance.core, name, obj);
        if !function.is_null() {
            return function;
        }
    }
    zend_api::zend_std_get_method(obj_ptr, name, key)
}

impl Core {
    /// The export a dispatch function names, by its id.
    #[inline]
    fn export_for(&self, id: usize, name: *const zend_string) -> Option<usize> {
        let slot = &self.id_cache[id % NAME_CACHE];
        let (cached, index) = slot.get();
        if cached == id {
            return (index != NOT_FAST).then_some(index);
        }
        let found = self.lookup(unsafe { zend_api::zend_string_bytes(name) });
        slot.set((id, found.unwrap_or(NOT_FAST)));
        found
    }
}

/// What the standard handlers would have done for a method the object lacks: its class's
/// own `__call` if a subclass defines one, else our `BadMethodCallException`. (The VM caches
/// the dispatch function per class, so it may call it on another instance of the class than
/// the one it was looked up on, which may not have that export.)
#[cold]
unsafe fn missing_export(ex: *mut zend_execute_data, rv: *mut zval, core: &Core, name: *const zend_string) -> Result<(), Raise> {
    let obj = (*ex).This.value.obj;
    let ce = (*obj).ce;
    let call = (*ce).__call;
    let ours = ptr::from_ref(Instance::get_metadata().ce()).cast_mut();
    if !call.is_null() && (*call).common.scope != ours {
        let argc = (*ex).This.u2.num_args as usize;
        let argv = ex.cast::<zval>().add(FRAME_SLOT).cast::<Zval>();
        let mut list = ZendHashTable::with_capacity(argc as u32);
        for z in std::slice::from_raw_parts(argv, argc) {
            let _ = list.push(z.shallow_clone());
        }
        let mut params = [Zval::new(), Zval::new()];
        params[0].set_zend_string(ext_php_rs::types::ZendStr::new(zend_api::zend_string_bytes(name), false));
        params[1].set_hashtable(list);
        ext_php_rs::ffi::zend_call_known_function(call, obj, ce, rv, 2, params.as_mut_ptr(), ptr::null_mut());
        return Ok(());
    }
    let name = String::from_utf8_lossy(zend_api::zend_string_bytes(name)).into_owned();
    Err(Raise::Object(crate::exception::new_exception(
        bad_method_call_exception(),
        &core.unknown_message(&name),
    )))
}

/// The handler of the dispatch functions (and of their copies in closures made by
/// `$instance->sum(...)`, which may have been bound to another instance since).
unsafe extern "C" fn export_handler(ex: *mut zend_execute_data, rv: *mut zval) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let func = &(*(*ex).func).internal_function;
        let Some(instance) = from_obj((*ex).This.value.obj) else {
            return Err(Raise::new(ce::error(), "Wasm\\Instance used before its constructor ran"));
        };
        let core = instance.core.clone();
        let Some(index) = core.export_for(func.reserved[0] as usize, func.function_name) else {
            return missing_export(ex, rv, &core, func.function_name);
        };
        let argc = (*ex).This.u2.num_args as usize;
        let argv = ex.cast::<zval>().add(FRAME_SLOT).cast::<Zval>();
        let args = std::slice::from_raw_parts(argv, argc);
        core.invoke_frame(index, args, &mut *rv)
    }));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(raise)) => raise.throw(),
        Err(_) => Raise::new(ce::error(), "Rust panic in a wasm export call").throw(),
    }
}

static mut STD_GET_GC: Option<zend_api::GetGcFn> = None;

/// Shows the import callables to the cycle collector, so that an instance whose imports
/// refer back to it (a closure using `$instance`) can be collected.
unsafe extern "C" fn get_gc(obj: *mut zend_object, table: *mut *mut zval, n: *mut c_int) -> *mut HashTable {
    let properties = match STD_GET_GC {
        Some(f) => f(obj, table, n),
        None => {
            *table = ptr::null_mut();
            *n = 0;
            ptr::null_mut()
        }
    };
    let Some(instance) = from_obj(obj) else { return properties };
    let (ours, len) = instance.core.callables.0.gc_table();
    if len == 0 {
        return properties;
    }
    if *n == 0 {
        *table = ours;
        *n = len as c_int;
        return properties;
    }
    // Both declared properties and callables: copy both into the engine's gc buffer.
    let buffer = zend_api::zend_get_gc_buffer_create();
    for z in std::slice::from_raw_parts(*table, *n as usize).iter().chain(std::slice::from_raw_parts(ours, len)) {
        if (*buffer).cur == (*buffer).end {
            zend_api::zend_get_gc_buffer_grow(buffer);
        }
        ptr::copy_nonoverlapping(z, (*buffer).cur, 1);
        (*buffer).cur = (*buffer).cur.add(1);
    }
    *table = (*buffer).start;
    *n = (*buffer).cur.offset_from((*buffer).start) as c_int;
    properties
}

/// MINIT: routes export calls through `get_method` and imports through `get_gc`.
pub fn install_handlers() {
    let handlers = ptr::from_ref(Instance::get_metadata().handlers()).cast_mut();
    unsafe {
        let handlers: *mut zend_object_handlers = handlers;
        HANDLERS = handlers;
        STD_GET_GC = (*handlers).get_gc;
        (*handlers).get_method = Some(get_method);
        (*handlers).get_gc = Some(get_gc);
    }
}

impl crate::helpers::debug_info::DebugInfo for Instance {
    /// `exports`, as `exports()` gives them.
    fn debug_info(&self) -> ZBox<ZendHashTable> {
        let mut table = ZendHashTable::new();
        if let Ok(exports) = module::export_types(&self.core.module) {
            let _ = table.insert("exports", exports);
        }
        table
    }
}
