//! A module's sections, parsed and validated: everything about a module but its code. Plain
//! data, read by the compiler (to translate) and by the runtime (to instantiate).

use crate::error::{Error, Result};
use crate::types::*;
use crate::vm::vmctx::VMOffsets;
use std::collections::HashMap;
use wasmparser::{FuncToValidate, FunctionBody, Parser, Payload, Validator, ValidatorResources, WasmFeatures};

/// A function body as [`parse`] hands it to the compiler: its validator (which the compiler
/// feeds operator by operator while translating) and its bytes.
pub(crate) type FunctionInput<'a> = (FuncToValidate<ValidatorResources>, FunctionBody<'a>);

/// A constant expression, as WebAssembly 2.0 allows them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ConstExpr {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
}

#[derive(Clone, Debug)]
pub(crate) enum ImportKind {
    Func(u32),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
}

#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExportIndex {
    Func(u32),
    Memory(u32),
    Table(u32),
    Global(u32),
}

pub(crate) enum SegmentMode {
    Active { index: u32, offset: ConstExpr },
    Passive,
    Declared,
}

pub(crate) struct ElementSegment {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
}

pub(crate) struct DataSegment {
    pub mode: SegmentMode,
    pub bytes: Box<[u8]>,
}

/// Everything about a module but its code.
#[derive(Default)]
pub(crate) struct ModuleInfo {
    pub types: Vec<FuncType>,
    /// The type of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub imports: Vec<Import>,
    pub imported_funcs: u32,
    pub imported_memories: u32,
    pub imported_tables: u32,
    pub imported_globals: u32,
    pub memories: Vec<MemoryType>,
    pub tables: Vec<TableType>,
    pub globals: Vec<GlobalType>,
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<(String, ExportIndex)>,
    /// Each export's position in `exports`, by name: instances look exports up by name, and
    /// a module may have thousands.
    pub export_positions: HashMap<String, usize>,
    pub start: Option<u32>,
    pub elements: Vec<ElementSegment>,
    pub data: Vec<DataSegment>,
    pub names: HashMap<u32, String>,
}

impl ModuleInfo {
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }

    pub fn offsets(&self) -> VMOffsets {
        VMOffsets::new(
            self.types.len() as u32,
            self.funcs.len() as u32,
            self.memories.len() as u32,
            self.tables.len() as u32,
            self.globals.len() as u32,
        )
    }

    /// The name shown for function `index` in traps: the name section's, else an export's.
    pub fn display_name(&self, index: u32) -> String {
        self.func_name(index)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("func[{index}]"))
    }

    /// How compile errors name function `index`: by index, which locates it in any tool, and
    /// by name where it has one.
    pub fn describe_func(&self, index: u32) -> String {
        match self.func_name(index) {
            Some(name) => format!("function {index} `{name}`"),
            None => format!("function {index}"),
        }
    }

    fn func_name(&self, index: u32) -> Option<&str> {
        self.names.get(&index).map(String::as_str).or_else(|| {
            self.exports
                .iter()
                .find(|(_, e)| *e == ExportIndex::Func(index))
                .map(|(n, _)| n.as_str())
        })
    }
}

fn val_type(t: wasmparser::ValType) -> Result<ValType> {
    ValType::from_wasmparser(t).map_err(Error::Compile)
}

fn memory_type(m: wasmparser::MemoryType) -> Result<MemoryType> {
    if m.memory64 || m.shared {
        return Err(Error::Compile("64-bit and shared memories are not supported".into()));
    }
    Ok(MemoryType {
        minimum: m.initial as u32,
        maximum: m.maximum.map(|m| m as u32),
    })
}

fn table_type(t: wasmparser::TableType) -> Result<TableType> {
    Ok(TableType {
        element: ValType::from_ref_type(t.element_type).map_err(Error::Compile)?,
        minimum: t.initial as u32,
        maximum: t.maximum.map(|m| m as u32),
    })
}

fn global_type(g: wasmparser::GlobalType) -> Result<GlobalType> {
    Ok(GlobalType {
        content: val_type(g.content_type)?,
        mutable: g.mutable,
    })
}

fn const_expr(e: &wasmparser::ConstExpr) -> Result<ConstExpr> {
    use wasmparser::Operator as O;
    let mut reader = e.get_operators_reader();
    let value = match reader.read().map_err(compile_error)? {
        O::I32Const { value } => ConstExpr::I32(value),
        O::I64Const { value } => ConstExpr::I64(value),
        O::F32Const { value } => ConstExpr::F32(value.bits()),
        O::F64Const { value } => ConstExpr::F64(value.bits()),
        O::V128Const { value } => ConstExpr::V128(value.i128() as u128),
        O::RefNull { .. } => ConstExpr::RefNull,
        O::RefFunc { function_index } => ConstExpr::RefFunc(function_index),
        O::GlobalGet { global_index } => ConstExpr::GlobalGet(global_index),
        other => {
            return Err(Error::Compile(format!(
                "unsupported constant expression {other:?}"
            )))
        }
    };
    Ok(value)
}

fn compile_error(e: impl std::fmt::Display) -> Error {
    Error::Compile(e.to_string())
}

/// Parses and validates the module's sections by `features`; the function bodies are
/// returned to be validated while the compiler translates them.
pub(crate) fn parse(bytes: &[u8], features: WasmFeatures) -> Result<(ModuleInfo, Vec<FunctionInput<'_>>)> {
    if bytes.is_empty() {
        return Err(Error::Compile("empty module: no bytes".into()));
    }
    if !bytes.starts_with(b"\0asm") {
        return Err(Error::Compile(
            "not a WebAssembly module: missing the \\0asm magic header".into(),
        ));
    }
    let mut info = ModuleInfo::default();
    let mut bodies = Vec::new();
    let mut validator = Validator::new_with_features(features);
    // The parser decodes by the same features as the validator checks: without
    // multi-memory, `memory.size` and `memory.grow` take a single zero byte, not a LEB.
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(compile_error)?;
        if let wasmparser::ValidPayload::Func(func, body) =
            validator.payload(&payload).map_err(compile_error)?
        {
            bodies.push((func, body));
        }
        read_section(&mut info, payload)?;
    }
    Ok((info, bodies))
}

fn read_section(info: &mut ModuleInfo, payload: Payload<'_>) -> Result<()> {
    match payload {
        Payload::TypeSection(reader) => {
            for ty in reader.into_iter_err_on_gc_types() {
                let ty = ty.map_err(compile_error)?;
                let params = ty.params().iter().map(|&t| val_type(t)).collect::<Result<Vec<_>>>()?;
                let results = ty.results().iter().map(|&t| val_type(t)).collect::<Result<Vec<_>>>()?;
                info.types.push(FuncType::new(params, results));
            }
        }
        Payload::ImportSection(reader) => {
            // `into_imports`: one import at a time, whichever encoding the section uses.
            for import in reader.into_imports() {
                let import = import.map_err(compile_error)?;
                let kind = match import.ty {
                    wasmparser::TypeRef::Func(t) => {
                        info.funcs.push(t);
                        info.imported_funcs += 1;
                        ImportKind::Func(t)
                    }
                    wasmparser::TypeRef::Memory(m) => {
                        let m = memory_type(m)?;
                        info.memories.push(m);
                        info.imported_memories += 1;
                        ImportKind::Memory(m)
                    }
                    wasmparser::TypeRef::Table(t) => {
                        let t = table_type(t)?;
                        info.tables.push(t);
                        info.imported_tables += 1;
                        ImportKind::Table(t)
                    }
                    wasmparser::TypeRef::Global(g) => {
                        let g = global_type(g)?;
                        info.globals.push(g);
                        info.imported_globals += 1;
                        ImportKind::Global(g)
                    }
                    wasmparser::TypeRef::Tag(_) => {
                        return Err(Error::Compile("exception tags are not supported".into()))
                    }
                    wasmparser::TypeRef::FuncExact(_) => {
                        return Err(Error::Compile("exact function imports are not supported".into()))
                    }
                };
                info.imports.push(Import {
                    module: import.module.to_owned(),
                    name: import.name.to_owned(),
                    kind,
                });
            }
        }
        Payload::FunctionSection(reader) => {
            for t in reader {
                info.funcs.push(t.map_err(compile_error)?);
            }
        }
        Payload::TableSection(reader) => {
            for table in reader {
                let table = table.map_err(compile_error)?;
                if let wasmparser::TableInit::Expr(_) = table.init {
                    return Err(Error::Compile("table initializers are not supported".into()));
                }
                info.tables.push(table_type(table.ty)?);
            }
        }
        Payload::MemorySection(reader) => {
            for m in reader {
                info.memories.push(memory_type(m.map_err(compile_error)?)?);
            }
        }
        Payload::GlobalSection(reader) => {
            for g in reader {
                let g = g.map_err(compile_error)?;
                info.globals.push(global_type(g.ty)?);
                info.global_inits.push(const_expr(&g.init_expr)?);
            }
        }
        Payload::ExportSection(reader) => {
            for e in reader {
                let e = e.map_err(compile_error)?;
                let index = match e.kind {
                    wasmparser::ExternalKind::Func => ExportIndex::Func(e.index),
                    wasmparser::ExternalKind::Memory => ExportIndex::Memory(e.index),
                    wasmparser::ExternalKind::Table => ExportIndex::Table(e.index),
                    wasmparser::ExternalKind::Global => ExportIndex::Global(e.index),
                    wasmparser::ExternalKind::Tag => {
                        return Err(Error::Compile("exception tags are not supported".into()))
                    }
                    wasmparser::ExternalKind::FuncExact => {
                        return Err(Error::Compile("exact function exports are not supported".into()))
                    }
                };
                info.export_positions.insert(e.name.to_owned(), info.exports.len());
                info.exports.push((e.name.to_owned(), index));
            }
        }
        Payload::StartSection { func, .. } => info.start = Some(func),
        Payload::ElementSection(reader) => {
            for e in reader {
                let e = e.map_err(compile_error)?;
                let items = match e.items {
                    wasmparser::ElementItems::Functions(r) => r
                        .into_iter()
                        .map(|f| f.map(ConstExpr::RefFunc).map_err(compile_error))
                        .collect::<Result<Vec<_>>>()?,
                    wasmparser::ElementItems::Expressions(_, r) => r
                        .into_iter()
                        .map(|x| const_expr(&x.map_err(compile_error)?))
                        .collect::<Result<Vec<_>>>()?,
                };
                let mode = match e.kind {
                    wasmparser::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => SegmentMode::Active {
                        index: table_index.unwrap_or(0),
                        offset: const_expr(&offset_expr)?,
                    },
                    wasmparser::ElementKind::Passive => SegmentMode::Passive,
                    wasmparser::ElementKind::Declared => SegmentMode::Declared,
                };
                info.elements.push(ElementSegment { mode, items });
            }
        }
        Payload::DataSection(reader) => {
            for d in reader {
                let d = d.map_err(compile_error)?;
                let mode = match d.kind {
                    wasmparser::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => SegmentMode::Active {
                        index: memory_index,
                        offset: const_expr(&offset_expr)?,
                    },
                    wasmparser::DataKind::Passive => SegmentMode::Passive,
                };
                info.data.push(DataSegment {
                    mode,
                    bytes: d.data.into(),
                });
            }
        }
        Payload::CustomSection(reader) if reader.name() == "name" => {
            // A malformed name section is not an error: names only decorate messages.
            let names = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
                reader.data(),
                reader.data_offset(),
            ));
            for sub in names.into_iter().flatten() {
                if let wasmparser::Name::Function(map) = sub {
                    for naming in map.into_iter().flatten() {
                        info.names.insert(naming.index, naming.name.to_owned());
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}
