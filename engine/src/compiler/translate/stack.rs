//! The translator's two stacks: wasm's operand stack, as the Cranelift values that hold its
//! entries, and the control stack of the blocks, loops and ifs the code is inside.
//!
//! Vectors are held as `i8x16` whatever their lanes: block parameters, locals and call
//! arguments then always agree on one type, and an operator that wants other lanes bitcasts
//! what it pops (a bitcast between vector types costs no instruction).

use cranelift_codegen::ir::{self, types::I8X16, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;

/// What a control frame is, and what a branch to it means.
pub(crate) enum FrameKind {
    /// The function body: its end is the return block.
    Function,
    Block,
    /// A branch goes back to `header`, with the loop's parameters.
    Loop { header: ir::Block },
    /// `else_block` is where a false condition goes; until an `else` comes, it is empty.
    /// `params` are the values the `else` arm starts with.
    If { else_block: ir::Block, params: Vec<Value>, has_else: bool },
}

pub(crate) struct Frame {
    pub kind: FrameKind,
    /// The block after the frame, whose parameters are its results.
    pub end: ir::Block,
    /// The operand stack's height below the frame's parameters.
    pub height: usize,
    pub params: usize,
    pub results: usize,
    /// Some branch or fall-through goes to `end`: the code after the frame is reachable.
    /// (A frame's start always is: unreachable code has no frames.)
    pub end_reached: bool,
}

impl Frame {
    /// The block a branch to this frame goes to and how many values it takes.
    pub fn branch_target(&self) -> (ir::Block, usize) {
        match self.kind {
            FrameKind::Loop { header } => (header, self.params),
            _ => (self.end, self.results),
        }
    }
}

#[derive(Default)]
pub(crate) struct Stack {
    pub values: Vec<Value>,
    pub frames: Vec<Frame>,
    /// Frames opened in unreachable code, which has no frames of its own.
    pub dead_frames: u32,
}

impl Stack {
    pub fn clear(&mut self) {
        self.values.clear();
        self.frames.clear();
        self.dead_frames = 0;
    }

    pub fn pop(&mut self) -> Value {
        self.values.pop().expect("the validator checked the operand stack")
    }

    /// The top `n` values, deepest first, removed.
    pub fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.values.len() - n;
        self.values.split_off(at)
    }

    /// The top `n` values, deepest first.
    pub fn peek_n(&self, n: usize) -> &[Value] {
        &self.values[self.values.len() - n..]
    }

    /// The frame `depth` levels out from the innermost.
    pub fn frame(&mut self, depth: u32) -> &mut Frame {
        let i = self.frames.len() - 1 - depth as usize;
        &mut self.frames[i]
    }
}

/// `value` as the stack holds it: vectors as `i8x16`.
pub(crate) fn canonical(b: &mut FunctionBuilder, value: Value) -> Value {
    let ty = b.func.dfg.value_type(value);
    if ty.is_vector() && ty != I8X16 {
        b.ins().bitcast(I8X16, little(), value)
    } else {
        value
    }
}

/// A vector `value` as lanes of type `ty`.
pub(crate) fn as_lanes(b: &mut FunctionBuilder, ty: ir::Type, value: Value) -> Value {
    if b.func.dfg.value_type(value) == ty {
        value
    } else {
        b.ins().bitcast(ty, little(), value)
    }
}

/// Bitcasts of vectors reinterpret their bytes in wasm's (little-endian) lane order.
pub(crate) fn little() -> MemFlagsData {
    MemFlagsData::new().with_endianness(ir::Endianness::Little)
}
