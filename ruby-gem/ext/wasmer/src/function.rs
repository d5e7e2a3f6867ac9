//! `Wasmer::Function`: an exported wasm function (or a funcref), callable from Ruby.

use crate::convert;
use crate::errors::{argument_error, from_engine, mismatch_error};
use crate::store::Shared;
use crate::types;
use engine::embed::call::{CallPlan, Slots};
use engine::embed::convert::Mismatch;
use engine::embed::messages::Place;
use engine::{Val, ValType};
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
    pub plan: CallPlan,
    name: Option<String>,
}

impl DataTypeFunctions for Function {
    fn mark(&self, marker: &Marker) {
        self.shared.mark(marker);
    }
}

/// Calls the function of `plan` with Ruby arguments: the hot path of every export call.
/// Numbers travel in raw slots on the stack; nothing is formatted unless something is wrong.
#[inline]
pub fn call(ruby: &Ruby, shared: &Arc<Shared>, plan: &CallPlan, name: &str, args: &[Value]) -> Result<Value, Error> {
    plan.check_count(name, args.len()).map_err(|m| argument_error(ruby, m))?;
    let params = &plan.params;
    if plan.numeric {
        let mut slots = Slots::new(plan.slot_count());
        for index in 0..params.len() {
            match convert::to_raw(args[index], params[index]) {
                Ok(raw) => slots[index] = raw,
                Err(m) => return Err(argument_mismatch(ruby, name, index, params[index], m, args[index])),
            }
        }
        plan.func.call_raw(&mut slots).map_err(|e| from_engine(ruby, e))?;
        return Ok(match &*plan.results {
            [] => ruby.qnil().as_value(),
            [ty] => convert::raw_to_ruby(ruby, *ty, slots[0]),
            many => {
                let ary = ruby.ary_new_capa(many.len());
                for (ty, &raw) in many.iter().zip(slots.iter()) {
                    let _ = ary.push(convert::raw_to_ruby(ruby, *ty, raw));
                }
                ary.as_value()
            }
        });
    }
    let mut vals: Vec<Val> = Vec::with_capacity(params.len());
    for (index, (&arg, &ty)) in args.iter().zip(params.iter()).enumerate() {
        match convert::to_val(shared, arg, ty) {
            Ok(v) => vals.push(v),
            Err(m) => return Err(argument_mismatch(ruby, name, index, ty, m, arg)),
        }
    }
    let results = plan.func.call(&vals).map_err(|e| from_engine(ruby, e))?;
    Ok(convert::results_to_ruby(ruby, shared, &results))
}

#[cold]
#[inline(never)]
fn argument_mismatch(ruby: &Ruby, name: &str, index: usize, ty: ValType, m: Mismatch, arg: Value) -> Error {
    mismatch_error(ruby, Place::Argument { function: name, position: index + 1 }, ty, m, arg)
}

impl Function {
    pub fn new(shared: Arc<Shared>, func: engine::Func, name: Option<&str>) -> Function {
        Function {
            shared,
            plan: CallPlan::new(func),
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
        let Some(rb_self) = crate::helpers::typed_ref::<Function>(rb_self) else {
            return Err(crate::errors::type_error(ruby, "not a Wasmer::Function"));
        };
        call(ruby, &rb_self.shared, &rb_self.plan, rb_self.label(), args)
    }

    /// The number of parameters.
    ///
    /// @return [Integer]
    fn arity(&self) -> usize {
        self.plan.func.ty().params().len()
    }

    /// The parameter types.
    ///
    /// @return [Array<Symbol>] e.g. [:i32, :i32]
    fn params(ruby: &Ruby, rb_self: &Self) -> RArray {
        types::val_types(ruby, rb_self.plan.func.ty().params())
    }

    /// The result types.
    ///
    /// @return [Array<Symbol>]
    fn results(ruby: &Ruby, rb_self: &Self) -> RArray {
        types::val_types(ruby, rb_self.plan.func.ty().results())
    }

    /// The signature.
    ///
    /// @return [Wasmer::FunctionType]
    fn r#type(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        types::func_type(ruby, rb_self.plan.func.ty())
    }

    /// The export name, or nil for a function reached through a funcref.
    ///
    /// @return [String, nil]
    fn name(&self) -> Option<String> {
        self.name.clone()
    }

    /// @return [String]
    fn inspect(&self) -> String {
        format!("#<Wasmer::Function {} {}>", self.label(), self.plan.func.ty())
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
