//! The linker: imports by module and name, resolved against a module's import list, with the
//! link errors worded in one place.

use crate::error::Result;
use crate::exports::Extern;
use crate::instance::{link_error, Instance};
use crate::module::Module;
use crate::store::Store;
use std::collections::HashMap;

/// Definitions by (module, name): host functions, other instances' exports, memories, tables,
/// globals. Instantiating a module takes from it what the module imports.
#[derive(Clone, Default)]
pub struct Linker {
    definitions: HashMap<(String, String), Extern>,
}

impl Linker {
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Defines `module`.`name`; a later definition of the same name replaces the earlier.
    pub fn define(&mut self, module: &str, name: &str, value: impl Into<Extern>) -> &mut Linker {
        self.definitions
            .insert((module.to_owned(), name.to_owned()), value.into());
        self
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(&mut self, module: &str, instance: &Instance) -> &mut Linker {
        for (name, value) in instance.exports() {
            self.define(module, &name, value);
        }
        self
    }

    pub fn get(&self, module: &str, name: &str) -> Option<&Extern> {
        self.definitions.get(&(module.to_owned(), name.to_owned()))
    }

    /// Instantiates `module` in `store` with the definitions it imports. A missing or
    /// mistyped import is an `Error::Link` naming it.
    pub fn instantiate(&self, store: &Store, module: &Module) -> Result<Instance> {
        let imports = module
            .imports()
            .into_iter()
            .map(|import| {
                self.get(&import.module, &import.name).cloned().ok_or_else(|| {
                    link_error(
                        &import.module,
                        &import.name,
                        format!("unknown import: the linker defines no {}", import.ty.kind()),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Instance::new(store, module, &imports)
    }
}

macro_rules! extern_from {
    ($($variant:ident),*) => {$(
        impl From<crate::$variant> for Extern {
            fn from(value: crate::$variant) -> Extern {
                Extern::$variant(value)
            }
        }
    )*};
}
extern_from!(Func, Memory, Table, Global);
