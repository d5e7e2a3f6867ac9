//! `Wasm\Table`: a table of references (functions, or externrefs) of an instance.

use crate::convert;
use crate::errors::{self, out_of_bounds, value_error};
use engine::embed::messages::Place;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use engine::ValType;
use ext_php_rs::types::Zval;

/// A WebAssembly table.
#[php_class]
#[php(name = "Wasm\\Table")]
pub struct Table {
    pub(crate) table: engine::Table,
}

impl Table {
    pub(crate) fn new(table: engine::Table) -> Table {
        Table { table }
    }

    fn index(&self, method: &str, index: i64) -> PhpResult<u32> {
        let size = self.table.size().map_err(errors::php)?;
        match u32::try_from(index) {
            Ok(i) if i < size => Ok(i),
            _ => Err(out_of_bounds(format!(
                "Wasm\\Table::{method}(): {}",
                engine::embed::messages::outside_table(index, size)
            ))),
        }
    }

    /// `value`, argument `position` of `method`, as an element of this table.
    fn element(&self, method: &str, position: usize, value: &Zval) -> PhpResult<engine::Val> {
        let ty = self.table.ty().map_err(errors::php)?.element;
        let function = format!("Wasm\\Table::{method}");
        convert::to_val(value, ty, &self.table.store()).map_err(|m| {
            errors::mismatch(Place::Argument { function: &function, position }, ty, m, value).into_php()
        })
    }
}

#[php_impl]
impl Table {
    /// A table of `minimum` elements (null), growable up to `maximum`, in a store of its own,
    /// to give as an import: instances importing it are made in its store.
    #[php(defaults(maximum = None, r#type = "\"funcref\""))]
    pub fn __construct(minimum: i64, maximum: Option<i64>, r#type: &str) -> PhpResult<Self> {
        let size = |v: i64, arg: &str| {
            u32::try_from(v).map_err(|_| {
                value_error(format!(
                    "Wasm\\Table::__construct(): Argument {arg} must be between 0 and {} elements",
                    u32::MAX
                ))
            })
        };
        let minimum = size(minimum, "#1 ($minimum)")?;
        let maximum = maximum.map(|m| size(m, "#2 ($maximum)")).transpose()?;
        if maximum.is_some_and(|m| m < minimum) {
            return Err(value_error(
                "Wasm\\Table::__construct(): Argument #2 ($maximum) must not be less than the minimum",
            ));
        }
        let Some(element) = ValType::from_name(r#type).filter(|t| t.is_ref()) else {
            return Err(value_error(
                "Wasm\\Table::__construct(): Argument #3 ($type) must be \"funcref\" or \"externref\"",
            ));
        };
        let store = crate::store::new_store();
        let ty = engine::TableType { element, minimum, maximum };
        let null = engine::Val::default_for(element);
        Ok(Table::new(engine::Table::new(&store, ty, null).map_err(errors::php)?))
    }

    /// The number of elements.
    pub fn size(&self) -> PhpResult<i64> {
        self.table.size().map(i64::from).map_err(errors::php)
    }

    /// The element at `$index`: a `Wasm\Func` or null.
    pub fn get(&self, index: i64) -> PhpResult<Zval> {
        let i = self.index("get", index)?;
        let value = self.table.get(i).map_err(errors::php)?;
        Ok(value.map(|v| convert::to_zval(&v)).unwrap_or_default())
    }

    /// Sets the element at `$index` to `$value` (a `Wasm\Func` of the same store, or null).
    pub fn set(&self, index: i64, value: &Zval) -> PhpResult<()> {
        let i = self.index("set", index)?;
        let value = self.element("set", 2, value)?;
        self.table.set(i, value).map_err(errors::php)
    }

    /// Adds `$delta` elements set to `$init`; returns the previous size.
    #[php(optional = init)]
    pub fn grow(&self, delta: i64, init: Option<&Zval>) -> PhpResult<i64> {
        let Ok(delta) = u32::try_from(delta) else {
            return Err(value_error("Wasm\\Table::grow(): Argument #1 ($delta) must be between 0 and 4294967295"));
        };
        let null = Zval::new();
        let init = self.element("grow", 2, init.unwrap_or(&null))?;
        self.table.grow(delta, init).map(i64::from).map_err(errors::php)
    }

    /// The type, e.g. `table(2, funcref)`.
    #[php(name = "type")]
    pub fn table_type(&self) -> PhpResult<String> {
        Ok(self.table.ty().map_err(errors::php)?.to_string())
    }
}

impl crate::helpers::debug_info::DebugInfo for Table {
    /// `type` and `size`.
    fn debug_info(&self) -> ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable> {
        let mut table = ext_php_rs::types::ZendHashTable::new();
        if let (Ok(ty), Ok(size)) = (self.table.ty(), self.table.size()) {
            let _ = table.insert("type", ty.to_string());
            let _ = table.insert("size", i64::from(size));
        }
        table
    }
}
