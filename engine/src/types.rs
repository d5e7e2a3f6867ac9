//! Descriptions of wasm values and externals, as shown to embedders.

use std::fmt;

/// The type of a wasm value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    /// 128 bits of SIMD data; its lanes are the operations' business, not the type's.
    V128,
    FuncRef,
    ExternRef,
}

impl ValType {
    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Result<ValType, String> {
        use wasmparser::ValType as W;
        match ty {
            W::I32 => Ok(ValType::I32),
            W::I64 => Ok(ValType::I64),
            W::F32 => Ok(ValType::F32),
            W::F64 => Ok(ValType::F64),
            W::V128 => Ok(ValType::V128),
            W::Ref(r) => Self::from_ref_type(r),
        }
    }

    pub(crate) fn from_ref_type(r: wasmparser::RefType) -> Result<ValType, String> {
        if r == wasmparser::RefType::FUNCREF {
            Ok(ValType::FuncRef)
        } else if r == wasmparser::RefType::EXTERNREF {
            Ok(ValType::ExternRef)
        } else {
            Err(format!("reference type {r:?} is not supported"))
        }
    }

    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// Whether a value of the type is one number (`v128` is sixteen bytes, not a number).
    pub fn is_number(self) -> bool {
        matches!(self, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64)
    }

    /// The type the text format names `name` (`"i32"`, `"funcref"`, ...): what bindings take
    /// as a type from their users.
    pub fn from_name(name: &str) -> Option<ValType> {
        const ALL: [ValType; 7] = [
            ValType::I32,
            ValType::I64,
            ValType::F32,
            ValType::F64,
            ValType::V128,
            ValType::FuncRef,
            ValType::ExternRef,
        ];
        ALL.into_iter().find(|t| t.to_string() == name)
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A function signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> FuncType {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    pub fn results(&self) -> &[ValType] {
        &self.results
    }

    /// Whether every parameter and result is a number: then any bits are a valid value, and
    /// `Func::call_raw` can call it.
    pub fn is_numeric(&self) -> bool {
        !self.params.iter().chain(self.results.iter()).any(|t| t.is_ref())
    }
}

/// Shown as `func(i32, i32) -> i32`; several results as `-> (i32, i64)`.
impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "func(")?;
        write_list(f, &self.params)?;
        write!(f, ")")?;
        match self.results.len() {
            0 => Ok(()),
            1 => write!(f, " -> {}", self.results[0]),
            _ => {
                write!(f, " -> (")?;
                write_list(f, &self.results)?;
                write!(f, ")")
            }
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, tys: &[ValType]) -> fmt::Result {
    for (i, t) in tys.iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{t}")?;
    }
    Ok(())
}

/// Limits are in 64 KiB pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    pub minimum: u32,
    pub maximum: Option<u32>,
}

impl fmt::Display for MemoryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "memory({}", self.minimum)?;
        if let Some(max) = self.maximum {
            write!(f, ", {max}")?;
        }
        write!(f, ")")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    pub element: ValType,
    pub minimum: u32,
    pub maximum: Option<u32>,
}

impl fmt::Display for TableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "table({}", self.minimum)?;
        if let Some(max) = self.maximum {
            write!(f, ", {max}")?;
        }
        write!(f, ", {})", self.element)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    pub content: ValType,
    pub mutable: bool,
}

impl fmt::Display for GlobalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mutable {
            write!(f, "global(mut {})", self.content)
        } else {
            write!(f, "global({})", self.content)
        }
    }
}

/// The type of anything a module imports or exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
}

impl ExternType {
    /// "function", "memory", "table" or "global", for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
            ExternType::Global(_) => "global",
        }
    }
}

impl fmt::Display for ExternType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternType::Func(t) => t.fmt(f),
            ExternType::Memory(t) => t.fmt(f),
            ExternType::Table(t) => t.fmt(f),
            ExternType::Global(t) => t.fmt(f),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ImportType {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

#[derive(Clone, Debug)]
pub struct ExportType {
    pub name: String,
    pub ty: ExternType,
}
