//! Control flow: blocks, loops, ifs, branches, `return`, `unreachable`, and the operators
//! that only move operands (`nop`, `drop`, `select`).
//!
//! Each wasm block is a Cranelift block for the code after it (its `end`), whose parameters
//! are the block's results; a loop also has a header block, whose parameters are the loop's
//! parameters. Branches jump to one of those with the values on top of the stack. After a
//! branch the code is unreachable until an `end` or `else` some branch can reach; it is
//! validated but not translated.

use super::stack::{Frame, FrameKind};
use super::{Result, Translator};
use crate::compiler::{clif_type, traps};
use crate::types::ValType;
use cranelift_codegen::ir::{self, BlockArg, InstBuilder, JumpTableData, Value};
use std::collections::HashMap;
use wasmparser::{BlockType, Operator};

fn args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|&v| BlockArg::Value(v)).collect()
}

impl Translator<'_, '_> {
    pub(super) fn translate_control(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        match op {
            O::Nop => {}
            O::Unreachable => {
                self.b.ins().trap(traps::UNREACHABLE);
                self.reachable = false;
            }
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let (a, b, condition) = self.pop3();
                let chosen = self.b.ins().select(condition, a, b);
                self.push(chosen);
            }
            O::Block { blockty } => {
                let (params, results) = self.block_type(*blockty)?;
                let end = self.block_with_params(&results);
                self.push_frame(FrameKind::Block, end, params.len(), results.len());
            }
            O::Loop { blockty } => {
                let (params, results) = self.block_type(*blockty)?;
                let header = self.block_with_params(&params);
                let end = self.block_with_params(&results);
                let entering = self.stack.pop_n(params.len());
                self.b.ins().jump(header, &args(&entering));
                self.b.switch_to_block(header);
                let header_params = self.b.block_params(header).to_vec();
                self.stack.values.extend(header_params);
                self.push_frame(FrameKind::Loop { header }, end, params.len(), results.len());
                self.loop_header();
            }
            O::If { blockty } => {
                let (params, results) = self.block_type(*blockty)?;
                let condition = self.pop();
                let then = self.b.create_block();
                let else_block = self.b.create_block();
                let end = self.block_with_params(&results);
                self.b.ins().brif(condition, then, &[], else_block, &[]);
                self.b.seal_block(then);
                self.b.seal_block(else_block);
                self.b.switch_to_block(then);
                let params_values = self.stack.peek_n(params.len()).to_vec();
                let kind = FrameKind::If { else_block, params: params_values, has_else: false };
                self.push_frame(kind, end, params.len(), results.len());
            }
            O::Else => self.else_arm(),
            O::End => self.end_frame(),
            O::Br { relative_depth } => self.br(*relative_depth),
            O::Return => {
                let depth = self.stack.frames.len() as u32 - 1;
                self.br(depth);
            }
            O::BrIf { relative_depth } => {
                let condition = self.pop();
                let (target, values) = self.branch_to(*relative_depth);
                let next = self.b.create_block();
                self.b.ins().brif(condition, target, &args(&values), next, &[]);
                self.b.seal_block(next);
                self.b.switch_to_block(next);
            }
            O::BrTable { targets } => {
                let index = self.pop();
                let depths = targets.targets().collect::<std::result::Result<Vec<u32>, _>>()?;
                self.br_table(index, &depths, targets.default());
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// In unreachable code only the nesting of frames matters, to find the `else` or `end`
    /// after which code is reachable again.
    pub(super) fn translate_unreachable(&mut self, op: &Operator<'_>) -> Result<()> {
        use Operator as O;
        match op {
            O::Block { .. } | O::Loop { .. } | O::If { .. } => self.stack.dead_frames += 1,
            O::Else if self.stack.dead_frames == 0 => self.else_arm(),
            O::End if self.stack.dead_frames == 0 => self.end_frame(),
            O::End => self.stack.dead_frames -= 1,
            _ => {}
        }
        Ok(())
    }

    /// The parameter and result types of a block.
    fn block_type(&self, ty: BlockType) -> Result<(Vec<ir::Type>, Vec<ir::Type>)> {
        let types = |list: &[ValType]| list.iter().map(|&t| clif_type(t)).collect();
        Ok(match ty {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => {
                let t = ValType::from_wasmparser(t).map_err(super::Error)?;
                (vec![], vec![clif_type(t)])
            }
            BlockType::FuncType(index) => {
                let f = &self.info.types[index as usize];
                (types(f.params()), types(f.results()))
            }
        })
    }

    fn block_with_params(&mut self, types: &[ir::Type]) -> ir::Block {
        let block = self.b.create_block();
        for &ty in types {
            self.b.append_block_param(block, ty);
        }
        block
    }

    fn push_frame(&mut self, kind: FrameKind, end: ir::Block, params: usize, results: usize) {
        let height = self.stack.values.len() - params;
        self.stack.frames.push(Frame { kind, end, height, params, results, end_reached: false });
    }

    /// Where a branch out of `depth` frames goes, with the values it takes along.
    fn branch_to(&mut self, depth: u32) -> (ir::Block, Vec<Value>) {
        let frame = self.stack.frame(depth);
        let (target, count) = frame.branch_target();
        if !matches!(frame.kind, FrameKind::Loop { .. }) {
            frame.end_reached = true;
        }
        (target, self.stack.peek_n(count).to_vec())
    }

    fn br(&mut self, depth: u32) {
        let (target, values) = self.branch_to(depth);
        self.b.ins().jump(target, &args(&values));
        self.reachable = false;
    }

    /// A `br_table` whose targets take values goes through a block per distinct target that
    /// passes them: the entries of a Cranelift jump table take no arguments.
    fn br_table(&mut self, index: Value, depths: &[u32], default: u32) {
        let arity = self.stack.frame(default).branch_target().1;
        let values = self.stack.peek_n(arity).to_vec();
        let mut chosen = HashMap::new();
        let mut passes = Vec::new();
        let mut blocks = Vec::with_capacity(depths.len() + 1);
        for &depth in depths.iter().chain([&default]) {
            let block = match chosen.get(&depth) {
                Some(&block) => block,
                None => {
                    let (target, _) = self.branch_to(depth);
                    let block = if arity == 0 {
                        target
                    } else {
                        let pass = self.b.create_block();
                        passes.push((pass, target));
                        pass
                    };
                    chosen.insert(depth, block);
                    block
                }
            };
            blocks.push(block);
        }
        let default_block = blocks.pop().expect("the default target");
        let pool = &mut self.b.func.dfg.value_lists;
        let calls: Vec<ir::BlockCall> = blocks.iter().map(|&b| ir::BlockCall::new(b, [], pool)).collect();
        let default_call = ir::BlockCall::new(default_block, [], pool);
        let table = self.b.create_jump_table(JumpTableData::new(default_call, &calls));
        self.b.ins().br_table(index, table);
        for (pass, target) in passes {
            self.b.seal_block(pass);
            self.b.switch_to_block(pass);
            self.b.ins().jump(target, &args(&values));
        }
        self.reachable = false;
    }

    fn else_arm(&mut self) {
        let reachable = self.reachable;
        let frame = self.stack.frames.last_mut().expect("validated: an if frame");
        let FrameKind::If { else_block, ref params, ref mut has_else } = frame.kind else {
            unreachable!("validated: else ends an if")
        };
        *has_else = true;
        let params = params.clone();
        let (end, results, height) = (frame.end, frame.results, frame.height);
        if reachable {
            frame.end_reached = true;
            let values = self.stack.peek_n(results).to_vec();
            self.b.ins().jump(end, &args(&values));
        }
        self.stack.values.truncate(height);
        self.stack.values.extend(params);
        self.b.switch_to_block(else_block);
        self.reachable = true;
    }

    fn end_frame(&mut self) {
        let mut frame = self.stack.frames.pop().expect("validated: a frame to end");
        if self.reachable {
            frame.end_reached = true;
            let values = self.stack.peek_n(frame.results).to_vec();
            self.b.ins().jump(frame.end, &args(&values));
        }
        match frame.kind {
            FrameKind::If { else_block, ref params, has_else: false } => {
                // No else arm: a false condition passes the parameters on as the results.
                frame.end_reached = true;
                self.b.switch_to_block(else_block);
                self.b.ins().jump(frame.end, &args(params));
            }
            FrameKind::Loop { header } => self.b.seal_block(header),
            _ => {}
        }
        self.stack.values.truncate(frame.height);
        self.b.seal_block(frame.end);
        if !frame.end_reached {
            self.reachable = false;
            return;
        }
        self.b.switch_to_block(frame.end);
        let results = self.b.block_params(frame.end).to_vec();
        if let FrameKind::Function = frame.kind {
            self.function_exit();
            self.b.ins().return_(&results);
            self.reachable = false;
        } else {
            self.stack.values.extend(results);
            self.reachable = true;
        }
    }
}
