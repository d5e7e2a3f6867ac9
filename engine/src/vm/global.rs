//! The storage of a global.

use crate::types::GlobalType;
use crate::vm::vmctx::VMGlobal;

#[repr(C)]
pub(crate) struct GlobalObj {
    pub def: VMGlobal,
    pub ty: GlobalType,
}
