//! Globals.

use crate::error::{Error, Result};
use crate::store::StoreInner;
use crate::types::GlobalType;
use crate::values::Val;
use crate::vm::VMGlobal;
use std::sync::Arc;

#[repr(C)]
pub(crate) struct GlobalObj {
    pub def: VMGlobal,
    pub ty: GlobalType,
}

/// A global, exported by an instance or made by the embedder.
#[derive(Clone)]
pub struct Global {
    pub(crate) store: Arc<StoreInner>,
    pub(crate) ptr: *mut GlobalObj,
}

unsafe impl Send for Global {}
unsafe impl Sync for Global {}

impl Global {
    pub fn new(store: &crate::Store, ty: GlobalType, val: Val) -> Result<Global> {
        check(&store.inner, ty, &val)?;
        let obj = GlobalObj {
            def: VMGlobal { bits: val.to_raw() },
            ty,
        };
        Ok(Global {
            store: store.inner.clone(),
            ptr: store.inner.keep(obj),
        })
    }

    fn obj(&self) -> &mut GlobalObj {
        unsafe { &mut *self.ptr }
    }

    pub fn ty(&self) -> GlobalType {
        self.obj().ty
    }

    pub fn get(&self) -> Val {
        let obj = self.obj();
        Val::from_raw(&self.store, obj.ty.content, obj.def.bits)
    }

    pub fn set(&self, val: Val) -> Result<()> {
        let obj = self.obj();
        if !obj.ty.mutable {
            return Err(Error::Usage("cannot set an immutable global".into()));
        }
        check(&self.store, obj.ty, &val)?;
        obj.def.bits = val.to_raw();
        Ok(())
    }
}

fn check(store: &Arc<StoreInner>, ty: GlobalType, val: &Val) -> Result<()> {
    if val.ty() != ty.content {
        return Err(Error::ArgumentType {
            index: 0,
            expected: ty.content,
        });
    }
    if !val.usable_in(store) {
        return Err(Error::Usage("the value belongs to another store".into()));
    }
    Ok(())
}
