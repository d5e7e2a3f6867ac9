//! `Wasmer::Function`: an exported wasm function (or a funcref), callable from Ruby.

use crate::errors::{arity_error, from_engine};
use crate::instance::Shared;
use crate::types;
use crate::values;
use engine::Val;
use magnus::{
    gc::Marker, method, prelude::*, DataTypeFunctions, Error, RArray, RModule, Ruby, TypedData,
    Value,
};
use std::sync::Arc;

/// A WebAssembly function.
///
/// @example
///   sum = instance.exports[:sum]
///   sum.call(5, 37) # => 42
///   sum.arity       # => 2
#[derive(TypedData)]
#[magnus(class = "Wasmer::Function", mark, free_immediately, size)]
pub struct Function {
    pub shared: Arc<Shared>,
    pub func: engine::Func,
    name: Option<String>,
}

impl DataTypeFunctions for Function {
    fn mark(&self, marker: &Marker) {
        self.shared.mark_instance(marker);
    }
}

/// Calls `func` with Ruby arguments: the hot path of every export call. Arguments are
/// converted into a stack buffer; nothing is formatted unless something is wrong.
#[inline]
pub fn call(
    ruby: &Ruby,
    shared: &Arc<Shared>,
    func: &engine::Func,
    name: &str,
    args: &[Value],
) -> Result<Value, Error> {
    let params = func.ty().params();
    if args.len() != params.len() {
        return Err(arity_error(ruby, args.len(), params.len()));
    }
    let results = func.ty().results();
    if params.len().max(results.len()) <= RAW_SLOTS && func.ty().is_numeric() {
        // The fast path: raw slots on the stack, no Val, no allocation.
        let mut slots = [engine::ValRaw::default(); RAW_SLOTS];
        for index in 0..params.len() {
            match values::to_raw(args[index], params[index]) {
                Ok(raw) => slots[index] = raw,
                Err(e) => return Err(e.for_argument(ruby, name, index, params[index], args[index])),
            }
        }
        {
            let _running = shared.enter(ruby)?;
            func.call_raw(&mut slots).map_err(|e| from_engine(ruby, e))?;
        }
        return Ok(match results {
            [] => ruby.qnil().as_value(),
            [ty] => values::raw_to_ruby(ruby, *ty, slots[0]),
            many => {
                let ary = ruby.ary_new_capa(many.len());
                for (ty, &raw) in many.iter().zip(&slots) {
                    let _ = ary.push(values::raw_to_ruby(ruby, *ty, raw));
                }
                ary.as_value()
            }
        });
    }
    let results = match params.len() {
        0 => invoke(ruby, shared, func, &[]),
        1 => invoke(ruby, shared, func, &convert::<1>(ruby, shared, name, params, args)?),
        2 => invoke(ruby, shared, func, &convert::<2>(ruby, shared, name, params, args)?),
        _ => {
            let mut vals: Vec<Val> = Vec::with_capacity(params.len());
            for (index, (&arg, &ty)) in args.iter().zip(params).enumerate() {
                match values::to_val(shared, arg, ty) {
                    Ok(v) => vals.push(v),
                    Err(e) => return Err(e.for_argument(ruby, name, index, ty, arg)),
                }
            }
            invoke(ruby, shared, func, &vals)
        }
    }?;
    Ok(values::results_to_ruby(ruby, shared, &results))
}

/// Calls with at most this many parameters and results take the raw fast path.
const RAW_SLOTS: usize = 8;

/// The arguments of a call with N parameters, in an array on the stack.
#[inline(always)]
fn convert<const N: usize>(
    ruby: &Ruby,
    shared: &Arc<Shared>,
    name: &str,
    params: &[engine::ValType],
    args: &[Value],
) -> Result<[Val; N], Error> {
    let mut out: [Val; N] = std::array::from_fn(|_| Val::I32(0));
    for index in 0..N {
        match values::to_val(shared, args[index], params[index]) {
            Ok(v) => out[index] = v,
            Err(e) => return Err(e.for_argument(ruby, name, index, params[index], args[index])),
        }
    }
    Ok(out)
}

#[inline(always)]
fn invoke(ruby: &Ruby, shared: &Arc<Shared>, func: &engine::Func, args: &[Val]) -> Result<Vec<Val>, Error> {
    let _running = shared.enter(ruby)?;
    func.call(args).map_err(|e| from_engine(ruby, e))
}

impl Function {
    pub fn new(shared: Arc<Shared>, func: engine::Func, name: Option<&str>) -> Function {
        Function {
            shared,
            func,
            name: name.map(str::to_owned),
        }
    }

    fn label(&self) -> &str {
        self.name.as_deref().unwrap_or("funcref")
    }

    /// Calls the function.
    ///
    /// @param args [Array<Integer, Float>] one per parameter
    /// @return [Integer, Float, nil, Array] nil for no result, an Array for several
    /// @raise [ArgumentError] for the wrong number of arguments
    /// @raise [TypeError, RangeError] for an argument that does not convert
    /// @raise [Wasmer::Trap] if the function traps
    fn call(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
        let Some(rb_self) = crate::typed_ref::<Function>(rb_self) else {
            return Err(crate::errors::type_error(ruby, "not a Wasmer::Function"));
        };
        call(ruby, &rb_self.shared, &rb_self.func, rb_self.label(), args)
    }

    /// The number of parameters.
    ///
    /// @return [Integer]
    fn arity(&self) -> usize {
        self.func.ty().params().len()
    }

    /// The parameter types.
    ///
    /// @return [Array<Symbol>] e.g. [:i32, :i32]
    fn params(ruby: &Ruby, rb_self: &Self) -> RArray {
        types::val_types(ruby, rb_self.func.ty().params())
    }

    /// The result types.
    ///
    /// @return [Array<Symbol>]
    fn results(ruby: &Ruby, rb_self: &Self) -> RArray {
        types::val_types(ruby, rb_self.func.ty().results())
    }

    /// The signature.
    ///
    /// @return [Wasmer::FunctionType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::func_type(ruby, rb_self.func.ty())
    }

    /// The export name, or nil for a function reached through a funcref.
    ///
    /// @return [String, nil]
    fn name(&self) -> Option<String> {
        self.name.clone()
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Function {} {}>", self.label(), self.func.ty())
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Function", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("call", method!(Function::call, -1))?;
    class.define_method("arity", method!(Function::arity, 0))?;
    class.define_method("params", method!(Function::params, 0))?;
    class.define_method("results", method!(Function::results, 0))?;
    class.define_method("type", method!(Function::r#type, 0))?;
    class.define_method("name", method!(Function::name, 0))?;
    class.define_method("inspect", method!(Function::inspect, 0))?;
    class.define_method("to_s", method!(Function::inspect, 0))?;
    Ok(())
}
