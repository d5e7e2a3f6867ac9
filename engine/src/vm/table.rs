//! Tables of references.

use crate::error::{Error, Result};
use crate::types::TableType;
use crate::vm::vmctx::VMTable;

/// Beyond this many elements `table.grow` fails, as the spec allows.
const MAX_ELEMENTS: u32 = 10_000_000;

#[repr(C)]
pub(crate) struct TableObj {
    pub def: VMTable,
    pub ty: TableType,
    pub elements: Vec<usize>,
}

impl TableObj {
    pub fn new(ty: TableType, init: usize) -> Result<TableObj> {
        if ty.minimum > MAX_ELEMENTS {
            return Err(Error::Resource(format!(
                "a table of {} elements is larger than the limit of {MAX_ELEMENTS}",
                ty.minimum
            )));
        }
        let mut t = TableObj {
            def: VMTable {
                base: std::ptr::null_mut(),
                length: 0,
            },
            ty,
            elements: vec![init; ty.minimum as usize],
        };
        t.sync();
        Ok(t)
    }

    fn sync(&mut self) {
        self.def.base = self.elements.as_mut_ptr();
        self.def.length = self.elements.len();
    }

    pub fn elements_mut(&mut self) -> &mut [usize] {
        &mut self.elements
    }

    /// Returns the previous size, or None past the maximum.
    pub fn grow(&mut self, delta: u32, init: usize) -> Option<u32> {
        let old = self.elements.len() as u32;
        let new = old.checked_add(delta)?;
        if new > self.ty.maximum.unwrap_or(u32::MAX).min(MAX_ELEMENTS) {
            return None;
        }
        self.elements.resize(new as usize, init);
        self.sync();
        Some(old)
    }
}

