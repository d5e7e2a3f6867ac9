//! Resolving a module's imports from what a binding was given, the same way in both bindings:
//! the lookup of each import by module and name, WASI as the fallback for `wasi_snapshot_preview1`
//! imports not given, the one store that the memories, globals and tables given must share, and the
//! wording of each link error. A binding says how to read its language's imports
//! ([`Imports`]) and, once the store is known, how to make an extern of a value.

use super::messages;
use crate::{Extern, ImportType, Module, Store};

/// What a binding found for one import.
pub enum Given<V> {
    Value(V),
    /// The imports have an entry for the import's module, with nothing for its name.
    NoField,
    /// The imports have no entry for the import's module.
    NoModule,
}

/// A binding's imports (PHP's array, Ruby's Hash) as the linker reads them.
pub trait Imports {
    /// A value of the language.
    type Value;
    /// What a wasm object given joins its instance to besides its store (Ruby: the store's
    /// externref Array); `()` for none.
    type Joined;
    /// The binding's error.
    type Error;

    /// The value given for `import`, or which entry is missing; an error when the imports are
    /// malformed (an entry for the module that is not a map of names).
    fn get(&self, import: &ImportType) -> Result<Given<Self::Value>, Self::Error>;

    /// The store of a wasm memory, global or table given as a value, if it has one for good (a
    /// global made alone moves into the store of the instance importing it).
    fn store_of(&self, value: &Self::Value) -> Option<(Store, Self::Joined)>;

    /// A link error of the binding's class for `import`, with the engine's text.
    fn link_error(&self, import: &ImportType, message: String) -> Self::Error;

    /// How the language passes a WASI context (`wasi: new Wasm\Wasi(...)`), for the message
    /// of a WASI import missing without one.
    fn wasi_hint(&self) -> &'static str;
}

/// The imports of `module` looked up, and the store they require: that of the memories,
/// globals and tables given (with what they join), or none when any store will do.
pub struct Found<I: Imports> {
    values: Vec<Option<I::Value>>,
    pub store: Option<(Store, I::Joined)>,
}

/// Looks every import of `module` up, leaving those WASI will give (`with_wasi`) unresolved,
/// and finds the store the memories, globals and tables given share.
pub fn find<I: Imports>(imports: &I, module: &Module, with_wasi: bool) -> Result<Found<I>, I::Error> {
    let wanted = module.imports();
    let mut values = Vec::with_capacity(wanted.len());
    let mut store: Option<(Store, I::Joined, usize)> = None;
    for (i, import) in wanted.iter().enumerate() {
        let is_wasi = import.module == crate::wasi::MODULE;
        let value = match imports.get(import)? {
            Given::Value(v) => v,
            Given::NoField | Given::NoModule if is_wasi && with_wasi => {
                values.push(None);
                continue;
            }
            missing => {
                let module_given = matches!(missing, Given::NoField);
                let hint = if is_wasi && !with_wasi { imports.wasi_hint() } else { "" };
                let message = format!("{}{hint}", messages::missing_import(import, module_given));
                return Err(imports.link_error(import, message));
            }
        };
        if let Some((s, joined)) = imports.store_of(&value) {
            match &store {
                Some((first, _, at)) if *first != s => {
                    let at = &wanted[*at];
                    let message = format!(
                        "it belongs to another instance than the import `{}`.`{}`: the memories, globals and tables an instance imports must all come from one other instance",
                        at.module, at.name
                    );
                    return Err(imports.link_error(import, message));
                }
                Some(_) => {}
                None => store = Some((s, joined, i)),
            }
        }
        values.push(Some(value));
    }
    Ok(Found {
        values,
        store: store.map(|(s, joined, _)| (s, joined)),
    })
}

/// The externs for the imports `found` in `store`, in the module's order: made by `make`
/// (an import function calling a callable, the memory, global or table given, a global made
/// from a number, or a link error saying what the value should have been), or by `wasi` for
/// the WASI imports not given.
pub fn externs<I: Imports>(
    imports: &I,
    module: &Module,
    found: Found<I>,
    store: &Store,
    wasi: Option<&crate::wasi::Wasi>,
    mut make: impl FnMut(&ImportType, I::Value) -> Result<Extern, I::Error>,
) -> Result<Vec<Extern>, I::Error> {
    let wanted = module.imports();
    let mut externs = Vec::with_capacity(wanted.len());
    for (import, value) in wanted.iter().zip(found.values) {
        let ext = match value {
            Some(value) => make(import, value)?,
            None => match wasi.and_then(|w| w.resolve(store, import)) {
                Some(ext) => ext,
                None => {
                    let message = format!("WASI preview 1 has no function `{}`", import.name);
                    return Err(imports.link_error(import, message));
                }
            },
        };
        externs.push(ext);
    }
    Ok(externs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Global, GlobalType, Memory, MemoryType, Table, TableType, Val, ValType};
    use std::collections::HashMap;

    /// Imports as a map of module => name => extern, the error being the message.
    struct Map(HashMap<&'static str, HashMap<&'static str, Extern>>);

    impl Imports for Map {
        type Value = Extern;
        type Joined = ();
        type Error = String;

        fn get(&self, import: &ImportType) -> Result<Given<Extern>, String> {
            let Some(fields) = self.0.get(import.module.as_str()) else { return Ok(Given::NoModule) };
            Ok(fields.get(import.name.as_str()).map_or(Given::NoField, |e| Given::Value(e.clone())))
        }

        fn store_of(&self, value: &Extern) -> Option<(Store, ())> {
            match value {
                Extern::Memory(m) => Some((m.store(), ())),
                Extern::Global(g) => Some((g.store(), ())),
                Extern::Table(t) => Some((t.store(), ())),
                _ => None,
            }
        }

        fn link_error(&self, import: &ImportType, message: String) -> String {
            messages::link_error(import, message)
        }

        fn wasi_hint(&self) -> &'static str {
            " (pass a WASI context)"
        }
    }

    const TWO: &str = r#"(import "env" "m" (memory 1)) (import "other" "g" (global i32))"#;

    fn module(engine: &Engine, imports: &str) -> Module {
        Module::new(engine, &wat::parse_str(format!("(module {imports})")).unwrap()).unwrap()
    }

    fn memory(store: &Store) -> Extern {
        Extern::Memory(Memory::new(store, MemoryType { minimum: 1, maximum: None }).unwrap())
    }

    fn global(store: &Store) -> Extern {
        let ty = GlobalType { content: ValType::I32, mutable: false };
        Extern::Global(Global::new(store, ty, Val::I32(1)).unwrap())
    }

    fn map(entries: Vec<(&'static str, &'static str, Extern)>) -> Map {
        let mut imports = Map(HashMap::new());
        for (m, f, e) in entries {
            imports.0.entry(m).or_default().insert(f, e);
        }
        imports
    }

    fn link(imports: &Map, module: &Module) -> Result<(Option<Store>, usize), String> {
        let mut found = find(imports, module, false)?;
        let store = found.store.take().map(|(s, ())| s);
        let in_store = store.clone().unwrap_or_else(|| Store::new(module.engine()));
        let externs = externs(imports, module, found, &in_store, None, |_, e| Ok(e))?;
        Ok((store, externs.len()))
    }

    #[test]
    fn each_link_error_says_what_is_missing_or_wrong() {
        let engine = Engine::default();
        let (a, b) = (Store::new(&engine), Store::new(&engine));
        let two = module(&engine, TWO);
        let err = |entries, module: &Module| link(&map(entries), module).err().unwrap_or_default();
        assert_eq!(
            err(vec![], &two),
            "link error: import `env`.`m`: missing memory memory(1): the imports have no `env` entry"
        );
        assert_eq!(
            err(vec![("env", "x", memory(&a))], &two),
            "link error: import `env`.`m`: missing memory memory(1): the `env` imports have no `m` entry"
        );
        assert_eq!(
            err(vec![("env", "m", memory(&a)), ("other", "g", global(&b))], &two),
            "link error: import `other`.`g`: it belongs to another instance than the import `env`.`m`: the memories, globals and tables an instance imports must all come from one other instance"
        );
        let wasi = module(&engine, r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#);
        assert!(err(vec![], &wasi).ends_with("the imports have no `wasi_snapshot_preview1` entry (pass a WASI context)"));
    }

    #[test]
    fn the_store_is_that_of_the_memories_globals_and_tables_given() {
        let engine = Engine::default();
        let (a, b) = (Store::new(&engine), Store::new(&engine));
        let two = module(&engine, TWO);
        let (store, count) = link(&map(vec![("env", "m", memory(&a)), ("other", "g", global(&a))]), &two).unwrap();
        assert!(store == Some(a));
        assert_eq!(count, 2);
        let table = Extern::Table(Table::new(&b, TableType { element: ValType::FuncRef, minimum: 1, maximum: None }, Val::FuncRef(None)).unwrap());
        let with_table = module(&engine, r#"(import "env" "t" (table 1 funcref))"#);
        assert!(link(&map(vec![("env", "t", table.clone())]), &with_table).unwrap().0 == Some(b.clone()));
        let both = module(&engine, r#"(import "env" "m" (memory 1)) (import "env" "t" (table 1 funcref))"#);
        let mixed = link(&map(vec![("env", "m", memory(&Store::new(&engine))), ("env", "t", table)]), &both);
        assert!(mixed.err().unwrap_or_default().contains("must all come from one other instance"));
        assert!(link(&map(vec![]), &module(&engine, "")).unwrap().0.is_none());
    }
}
