//! What a binding's instance constructor may limit (`timeout`, `fuel`, `memory_limit`),
//! applied to the instance's own store: one place, so both languages limit the same way.

use crate::{Result, Store};
use std::time::Duration;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// A time limit for each call: past it the call traps with `timeout`.
    pub timeout: Option<Duration>,
    /// Fuel for the instance: it runs metered code and traps with `out_of_fuel` without fuel.
    pub fuel: Option<u64>,
    /// A cap in bytes on the instance's linear memories together.
    pub memory: Option<usize>,
}

impl Limits {
    /// Sets the limits given on `store`, before the instance is made in it (so that its
    /// start function runs under them, and its code is metered if it has fuel); those not
    /// given stay as the store has them (a PHP store may be shared by instances).
    pub fn apply(&self, store: &Store) -> Result<()> {
        if let Some(timeout) = self.timeout {
            store.set_call_timeout(Some(timeout));
        }
        if let Some(fuel) = self.fuel {
            store.set_fuel(fuel)?;
        }
        if let Some(bytes) = self.memory {
            store.set_memory_limit(Some(bytes));
        }
        Ok(())
    }
}
