//! The function translator: wasm operators, as wasmparser reads and validates them, become
//! Cranelift IR.
//!
//! One `Translator` walks one function body. Its state is the operand and control stacks
//! (`stack`), the function builder and whether the code being translated is reachable. Each
//! family of operators has its own file with one `translate_*` method that lowers the
//! operators it knows and says whether it knew the one it was given; an operator no family
//! knows is a compile error naming it. What touches the instance (vmctx fields, builtins,
//! tables) is in `env`, linear memory addresses in `heap`, fuel, interrupt and stack checks in
//! `safepoints`.

mod bulk;
mod calls;
mod control;
mod conversions;
mod env;
mod heap;
mod memory;
mod numeric;
mod safepoints;
mod shuffles;
mod simd;
mod stack;
mod tables;
mod variables;

pub(crate) use env::Env;
pub(crate) use safepoints::check_stack_in_prologue;
use safepoints::Safepoints;
use stack::{canonical, as_lanes, Frame, FrameKind, Stack};

use super::{clif_type, wasm_signature};
use crate::module_info::ModuleInfo;
use cranelift_codegen::entity::packed_option::ReservedValue;
use cranelift_codegen::ir::{self, InstBuilder, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use wasmparser::{BinaryReaderError, FuncValidator, FunctionBody, Operator, OperatorsReader, ValidatorResources};

/// What one compiling thread reuses from function to function.
#[derive(Default)]
pub(crate) struct FuncTranslator {
    builder: FunctionBuilderContext,
    stack: Stack,
}

impl FuncTranslator {
    /// Validates and translates the body of function `index` into `func`, whose signature
    /// and name are set. The error names the function and says what is wrong, where.
    pub fn translate(
        &mut self,
        env: &Env<'_>,
        index: u32,
        validator: &mut FuncValidator<ValidatorResources>,
        body: &FunctionBody<'_>,
        func: &mut ir::Function,
    ) -> std::result::Result<(), String> {
        self.stack.clear();
        let mut t = Translator {
            b: FunctionBuilder::new(func, &mut self.builder),
            stack: &mut self.stack,
            env,
            info: env.info,
            index,
            reachable: true,
            vmctx: Value::reserved_value(),
            locals: Vec::new(),
            safepoints: Safepoints::new(env.metered, env.loop_checks),
        };
        let result = t.body(validator, body);
        let frontend = env.frontend;
        t.b.finalize(frontend);
        result.map_err(|e| format!("{}: {e}", env.info.describe_func(index)))
    }
}

/// The state of one function's translation.
pub(crate) struct Translator<'t, 'f> {
    pub b: FunctionBuilder<'f>,
    pub stack: &'t mut Stack,
    pub env: &'t Env<'t>,
    pub info: &'t ModuleInfo,
    /// The function's index in the module.
    pub index: u32,
    /// Code emitted now would run: false after a branch, until the next block that a
    /// branch or fall-through reaches.
    pub reachable: bool,
    /// The function's vmctx parameter.
    pub vmctx: Value,
    /// The variable of each local, parameters first.
    pub locals: Vec<Variable>,
    pub safepoints: Safepoints,
}

/// A translation error: the validator's or the translator's message, with its offset.
pub(crate) struct Error(String);

impl From<BinaryReaderError> for Error {
    fn from(e: BinaryReaderError) -> Error {
        Error(format!("{} (at offset {:#x})", e.message(), e.offset()))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

impl Translator<'_, '_> {
    fn body(&mut self, validator: &mut FuncValidator<ValidatorResources>, body: &FunctionBody<'_>) -> Result<()> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.b.seal_block(entry);
        let params = self.b.block_params(entry).to_vec();
        self.vmctx = params[0];
        for &p in &params[1..] {
            let ty = self.b.func.dfg.value_type(p);
            let var = self.b.declare_var(ty);
            self.b.def_var(var, p);
            self.locals.push(var);
        }

        let mut reader = body.get_binary_reader();
        for _ in 0..reader.read_var_u32()? {
            let offset = reader.original_position();
            let count = reader.read_var_u32()?;
            let ty: wasmparser::ValType = reader.read()?;
            validator.define_locals(offset, count, ty)?;
            let ty = crate::types::ValType::from_wasmparser(ty).map_err(Error)?;
            for _ in 0..count {
                let var = self.b.declare_var(clif_type(ty));
                let zero = self.zero(clif_type(ty));
                self.b.def_var(var, zero);
                self.locals.push(var);
            }
        }

        self.function_entry();
        let ty = self.info.func_type(self.index);
        let end = self.b.create_block();
        for &r in ty.results() {
            self.b.append_block_param(end, clif_type(r));
        }
        self.stack.frames.push(Frame {
            kind: FrameKind::Function,
            end,
            height: 0,
            params: 0,
            results: ty.results().len(),
            end_reached: false,
        });

        let mut ops = OperatorsReader::new(reader);
        while !ops.eof() {
            let (op, offset) = ops.read_with_offset()?;
            validator.op(offset, &op)?;
            self.b.set_srcloc(ir::SourceLoc::new(offset as u32));
            self.operator(&op)?;
        }
        ops.finish()?;
        Ok(())
    }

    fn operator(&mut self, op: &Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.translate_unreachable(op);
        }
        self.before_operator(op);
        let known = self.translate_control(op)?
            || self.translate_variables(op)?
            || self.translate_numeric(op)?
            || self.translate_conversions(op)?
            || self.translate_memory(op)?
            || self.translate_calls(op)?
            || self.translate_tables(op)?
            || self.translate_bulk(op)?
            || self.translate_simd(op)?;
        if !known {
            return Err(Error(format!("the instruction {op:?} is not supported")));
        }
        self.after_operator(op);
        Ok(())
    }

    pub fn pop(&mut self) -> Value {
        self.stack.pop()
    }

    /// The top two values, deepest first.
    pub fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        (self.pop(), b)
    }

    /// The top three values, deepest first.
    pub fn pop3(&mut self) -> (Value, Value, Value) {
        let c = self.pop();
        let (a, b) = self.pop2();
        (a, b, c)
    }

    /// The top vector, as lanes of type `ty`.
    pub fn pop_lanes(&mut self, ty: ir::Type) -> Value {
        let v = self.pop();
        as_lanes(&mut self.b, ty, v)
    }

    pub fn push(&mut self, value: Value) {
        let value = canonical(&mut self.b, value);
        self.stack.values.push(value);
    }

    /// The value locals of type `ty` start with.
    fn zero(&mut self, ty: ir::Type) -> Value {
        use ir::types::*;
        match ty {
            F32 => self.b.ins().f32const(0.0),
            F64 => self.b.ins().f64const(0.0),
            I8X16 => {
                let zero = self.b.func.dfg.constants.insert(vec![0u8; 16].into());
                self.b.ins().vconst(I8X16, zero)
            }
            _ => self.b.ins().iconst(ty, 0),
        }
    }

    /// A Cranelift signature for wasm type `index`, imported into the function once.
    pub fn signature(&mut self, index: u32) -> ir::SigRef {
        let sig = wasm_signature(&self.info.types[index as usize]);
        self.b.import_signature(sig)
    }
}

