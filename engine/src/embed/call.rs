//! The call plan of a function a binding calls again and again, and the buffer of raw slots
//! its numbers travel in.

use super::messages;
use crate::{Func, ValRaw, ValType};
use std::ops::{Deref, DerefMut};

/// A function with its types read once: the bindings keep one per export and per function
/// object, and pick the raw path (`numeric`) or the `Val` path from it on each call.
#[derive(Clone)]
pub struct CallPlan {
    pub func: Func,
    pub params: Box<[ValType]>,
    pub results: Box<[ValType]>,
    /// Numbers only in and out (no reference, no `v128`): callable with [`Slots`] through
    /// `Func::call_raw`, each value converted by the number rules of [`super::convert`].
    pub numeric: bool,
}

impl CallPlan {
    pub fn new(func: Func) -> CallPlan {
        let ty = func.ty();
        CallPlan {
            params: ty.params().into(),
            results: ty.results().into(),
            numeric: ty.params().iter().chain(ty.results()).all(|t| t.is_number()),
            func,
        }
    }

    /// The slots a raw call needs: arguments in, results out, in the same buffer.
    #[inline]
    pub fn slot_count(&self) -> usize {
        self.params.len().max(self.results.len())
    }

    /// `Err(message)` unless `given` is the number of parameters; `function` names the
    /// function in the message.
    #[inline]
    pub fn check_count(&self, function: &str, given: usize) -> Result<(), String> {
        if given == self.params.len() {
            Ok(())
        } else {
            Err(messages::argument_count(function, self.params.len(), given))
        }
    }
}

/// Slots kept on the stack; calls with more arguments or results use the heap.
const INLINE: usize = 8;

/// The raw slots of one call: arguments written in, results read out.
pub struct Slots {
    inline: [ValRaw; INLINE],
    heap: Vec<ValRaw>,
    len: usize,
}

impl Slots {
    #[inline(always)]
    pub fn new(len: usize) -> Slots {
        Slots {
            inline: [ValRaw::default(); INLINE],
            heap: if len > INLINE { vec![ValRaw::default(); len] } else { Vec::new() },
            len,
        }
    }
}

impl Deref for Slots {
    type Target = [ValRaw];
    #[inline(always)]
    fn deref(&self) -> &[ValRaw] {
        if self.len > INLINE {
            &self.heap
        } else {
            &self.inline[..self.len]
        }
    }
}

impl DerefMut for Slots {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [ValRaw] {
        if self.len > INLINE {
            &mut self.heap
        } else {
            &mut self.inline[..self.len]
        }
    }
}
