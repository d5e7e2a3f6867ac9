//! Calls from the host with values: their number and types checked against the function's.

use crate::error::{Error, Result};
use crate::func::Func;
use crate::values::Val;
use crate::vm::vmctx::ValRaw;

/// Most calls have few arguments: their slots live on the stack.
const INLINE_SLOTS: usize = 8;

impl Func {
    /// Calls the function, checking the number and types of `args`.
    pub fn call(&self, args: &[Val]) -> Result<Vec<Val>> {
        let mut results = Vec::with_capacity(self.sig.ty.results().len());
        self.call_into(args, &mut results)?;
        Ok(results)
    }

    /// Like [`Func::call`], but replaces the contents of `results` instead of allocating:
    /// the fast path for embedders that call often.
    pub fn call_into(&self, args: &[Val], results: &mut Vec<Val>) -> Result<()> {
        let ty = &self.sig.ty;
        if args.len() != ty.params().len() {
            return Err(Error::ArgumentCount {
                expected: ty.params().len(),
                given: args.len(),
            });
        }
        for (index, (arg, &expected)) in args.iter().zip(ty.params()).enumerate() {
            if arg.ty() != expected || !arg.usable_in(&self.store) {
                return Err(Error::ArgumentType { index, expected });
            }
        }
        let n = ty.params().len().max(ty.results().len());
        let mut inline = [ValRaw::default(); INLINE_SLOTS];
        let mut heap = Vec::new();
        let slots: &mut [ValRaw] = if n <= INLINE_SLOTS {
            &mut inline
        } else {
            heap.resize(n, ValRaw::default());
            &mut heap
        };
        for (slot, arg) in slots.iter_mut().zip(args) {
            *slot = arg.to_raw();
        }
        let entered = self.store.enter()?;
        // SAFETY: the arguments were checked against the type above, and there are slots
        // for the results; we are inside the store.
        unsafe { self.invoke(slots)? };
        results.clear();
        results.extend(
            ty.results()
                .iter()
                .zip(slots.iter())
                // SAFETY: the results are of the function's result types, and funcrefs among
                // them are of our store.
                .map(|(&t, &raw)| unsafe { Val::from_raw(&self.store, t, raw) }),
        );
        drop(entered);
        Ok(())
    }
}
