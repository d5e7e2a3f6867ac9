//! The WebAssembly 2.0 spec test suite: every directive of every `.wast` file, run against
//! the engine. The summary counts the files without SIMD (`simd_*`) apart as well, the
//! figure the suite was first passed by.
//!
//! The suite is read from `$WASM_TESTSUITE`, else from `shared/wasm-testsuite` next to the
//! workspace. With `WASM_SPEC_FUEL=1` every store has fuel (more than any script uses), so
//! the suite runs the metered code instead. Prints one line per file, an indented line per failure, per-kind counts and a
//! summary; exits nonzero when any directive failed.

use engine::{
    Error, Extern, Func, FuncType, Global, GlobalType, Instance, Memory, MemoryType, Module, Store,
    Table, TableType, Trap, TrapCode, Val, ValType,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Span;
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// The directive kinds of WebAssembly 2.0, in the order their counts are printed.
const KINDS: [&str; 9] = [
    "module",
    "register",
    "invoke",
    "assert_return",
    "assert_trap",
    "assert_exhaustion",
    "assert_invalid",
    "assert_malformed",
    "assert_unlinkable",
];

/// Failure lines shown per file; the rest are counted only.
const SHOWN_FAILURES: usize = 20;

enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

use Outcome::{Fail, Pass, Skip};

/// The engine every test shares, as the bindings share one per process; with
/// `WASM_SPEC_MEMORY=dynamic`, one whose memories are bounds-checked (the mode of processes
/// with little address space).
fn engine() -> engine::Engine {
    static ENGINE: std::sync::OnceLock<engine::Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| match std::env::var("WASM_SPEC_MEMORY").as_deref() {
            Ok("dynamic") => {
                let mut config = engine::Config::new();
                config.memory_mode(engine::MemoryMode::Dynamic);
                engine::Engine::new(&config).expect("an engine with bounds-checked memories")
            }
            _ => engine::Engine::default(),
        })
        .clone()
}


/// The instance a module directive produced, or why it could not be produced: later
/// directives on a failed module fail with that reason.
type Slot = Result<Instance, String>;

/// The state of one `.wast` file: one store, so that its modules can link to each other.
struct Script {
    store: Store,
    /// Exports importable by module name: `spectest` and every `register`ed instance.
    registry: HashMap<String, HashMap<String, Extern>>,
    named: HashMap<String, Slot>,
    current: Option<Slot>,
    /// Traps of the expected kind reported with different wording than the suite's.
    notes: Vec<String>,
}

impl Script {
    fn new() -> Script {
        let store = Store::new(&engine());
        if metered() {
            store.set_fuel(u64::MAX).expect("fuel for a fresh store");
        }
        let mut registry = HashMap::new();
        registry.insert("spectest".to_owned(), spectest(&store));
        Script {
            store,
            registry,
            named: HashMap::new(),
            current: None,
            notes: Vec::new(),
        }
    }

    /// Compiles `bytes` and instantiates the module with imports resolved by name.
    fn instantiate(&self, bytes: &[u8]) -> Result<Instance, Error> {
        let module = Module::new(&engine(), bytes)?;
        let imports = module
            .imports()
            .into_iter()
            .map(|import| {
                self.registry
                    .get(&import.module)
                    .and_then(|exports| exports.get(&import.name))
                    .cloned()
                    .ok_or_else(|| Error::Link {
                        module: import.module.clone(),
                        field: import.name.clone(),
                        message: "unknown import".into(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Instance::new(&self.store, &module, &imports)
    }

    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, String> {
        let slot = match id {
            Some(id) => self
                .named
                .get(id.name())
                .ok_or_else(|| format!("no module named ${}", id.name()))?,
            None => self.current.as_ref().ok_or("no module defined yet")?,
        };
        slot.clone()
            .map_err(|why| format!("the module did not instantiate: {why}"))
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_owned());
                let slot = match module.encode() {
                    Ok(bytes) => self.instantiate(&bytes).map_err(|e| e.to_string()),
                    Err(e) => Err(format!("the text does not parse: {}", e.message())),
                };
                let outcome = match &slot {
                    Ok(_) => Pass,
                    Err(why) => Fail(why.clone()),
                };
                if let Some(name) = name {
                    self.named.insert(name, slot.clone());
                }
                self.current = Some(slot);
                outcome
            }
            WastDirective::Register { name, module, .. } => match self.instance(module) {
                Ok(instance) => {
                    self.registry
                        .insert(name.to_owned(), instance.exports().into_iter().collect());
                    Pass
                }
                Err(why) => Fail(why),
            },
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(_)) => Pass,
                Ok(Err(e)) => Fail(format!("the call failed: {e}")),
                Err(why) => Fail(why),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec) {
                Ok(Ok(values)) => check_results(&results, &values),
                Ok(Err(e)) => Fail(format!("expected results, got error: {e}")),
                Err(why) => Fail(why),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(result) => self.expect_trap(result, message),
                Err(why) => Fail(why),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(result) => self.expect_trap(result, message),
                Err(why) => Fail(why),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } => expect_rejected(module, message),
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => match module.encode() {
                Err(e) => Fail(format!("the text does not parse: {}", e.message())),
                Ok(bytes) => match self.instantiate(&bytes) {
                    Ok(_) => Fail(format!("instantiated, expected link error `{message}`")),
                    Err(Error::Link { .. } | Error::Compile(_)) => Pass,
                    Err(e) => Fail(format!("expected link error `{message}`, got: {e}")),
                },
            },
            WastDirective::ModuleDefinition(_)
            | WastDirective::ModuleInstance { .. }
            | WastDirective::AssertException { .. }
            | WastDirective::AssertSuspension { .. }
            | WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. }
            | WastDirective::Thread(_)
            | WastDirective::Wait { .. } => Skip("not part of WebAssembly 2.0".into()),
        }
    }

    /// Calls an export. The outer error is the script's (no such module or export), the inner
    /// one the engine's.
    fn invoke(&self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Val>, Error>, String> {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(invoke.name)
            .ok_or_else(|| format!("no exported function `{}`", invoke.name))?;
        let args = invoke.args.iter().map(arg).collect::<Result<Vec<_>, _>>()?;
        Ok(func.call(&args))
    }

    fn execute(&self, exec: WastExecute<'_>) -> Result<Result<Vec<Val>, Error>, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                match self.instance(module)?.get_export(global) {
                    Some(Extern::Global(g)) => Ok(Ok(vec![g.get().unwrap()])),
                    _ => Err(format!("no exported global `{global}`")),
                }
            }
            WastExecute::Wat(mut wat) => {
                let bytes = wat
                    .encode()
                    .map_err(|e| format!("the text does not parse: {}", e.message()))?;
                Ok(self.instantiate(&bytes).map(|_| Vec::new()))
            }
        }
    }

    fn expect_trap(&mut self, result: Result<Vec<Val>, Error>, message: &str) -> Outcome {
        match result {
            Err(Error::Trap(Trap { code, .. })) => {
                if !trap_matches(code, message) {
                    self.notes.push(format!(
                        "trapped with `{}`, the suite says `{message}`",
                        code.description()
                    ));
                }
                Pass
            }
            Err(e) => Fail(format!("expected trap `{message}`, got error: {e}")),
            Ok(values) => Fail(format!(
                "expected trap `{message}`, got results ({})",
                show_values(&values)
            )),
        }
    }
}

/// The host module every script may import from.
fn spectest(store: &Store) -> HashMap<String, Extern> {
    use ValType::*;
    let mut exports = HashMap::new();
    let funcs: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in funcs {
        let ty = FuncType::new(params.iter().copied(), []);
        let func = Func::new(store, ty, |_, _| Ok(Vec::new()));
        exports.insert(name.to_owned(), Extern::Func(func));
    }
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::f32(666.6)),
        ("global_f64", Val::f64(666.6)),
    ];
    for (name, val) in globals {
        let ty = GlobalType {
            content: val.ty(),
            mutable: false,
        };
        let global = Global::new(store, ty, val).expect("spectest global");
        exports.insert(name.to_owned(), Extern::Global(global));
    }
    let table_ty = TableType {
        element: FuncRef,
        minimum: 10,
        maximum: Some(20),
    };
    let table = Table::new(store, table_ty, Val::FuncRef(None)).expect("spectest table");
    exports.insert("table".to_owned(), Extern::Table(table));
    let memory_ty = MemoryType {
        minimum: 1,
        maximum: Some(2),
    };
    let memory = Memory::new(store, memory_ty).expect("spectest memory");
    exports.insert("memory".to_owned(), Extern::Memory(memory));
    exports
}

/// assert_invalid and assert_malformed: the module must not get past the text parser or the
/// engine's decoder and validator.
fn expect_rejected(mut module: QuoteWat<'_>, message: &str) -> Outcome {
    let bytes = match module.encode() {
        Ok(bytes) => bytes,
        Err(_) => return Pass,
    };
    match Module::new(&engine(), &bytes) {
        Ok(_) => Fail(format!("compiled, expected error `{message}`")),
        Err(Error::Compile(_)) => Pass,
        Err(e) => Fail(format!("expected compile error `{message}`, got: {e}")),
    }
}

/// Whether a trap code stands for the suite's message. The suite says "undefined element"
/// for an index past a table's end and "uninitialized element" for a null entry.
fn trap_matches(code: TrapCode, message: &str) -> bool {
    let expected = match code {
        TrapCode::TableOutOfBounds => {
            ["out of bounds table access", "undefined element"].as_slice()
        }
        TrapCode::IndirectCallToNull => ["uninitialized element"].as_slice(),
        TrapCode::Unreachable => ["unreachable"].as_slice(),
        _ => return message.starts_with(code.description()),
    };
    expected.iter().any(|e| message.starts_with(e))
}

fn arg(arg: &WastArg<'_>) -> Result<Val, String> {
    Ok(match arg {
        WastArg::Core(WastArgCore::I32(v)) => Val::I32(*v),
        WastArg::Core(WastArgCore::I64(v)) => Val::I64(*v),
        WastArg::Core(WastArgCore::F32(v)) => Val::F32(v.bits),
        WastArg::Core(WastArgCore::F64(v)) => Val::F64(v.bits),
        WastArg::Core(WastArgCore::V128(v)) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArg::Core(WastArgCore::RefNull(ty)) => match abstract_type(ty) {
            Some(AbstractHeapType::Func) => Val::FuncRef(None),
            Some(AbstractHeapType::Extern) => Val::ExternRef(None),
            _ => return Err(format!("unsupported argument ref.null {ty:?}")),
        },
        WastArg::Core(WastArgCore::RefExtern(n)) => Val::ExternRef(Some(*n as u64)),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn abstract_type(ty: &HeapType<'_>) -> Option<AbstractHeapType> {
    match ty {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

fn check_results(expected: &[WastRet<'_>], actual: &[Val]) -> Outcome {
    let matches = expected.len() == actual.len()
        && expected.iter().zip(actual).all(|(e, a)| match e {
            WastRet::Core(e) => value_matches(e, a),
            // Component values (and whatever else `WastRet` grows) never match a core value.
            _ => false,
        });
    if matches {
        return Pass;
    }
    let expected: Vec<String> = expected
        .iter()
        .map(|e| match e {
            WastRet::Core(e) => show_expected(e),
            other => format!("{other:?}"),
        })
        .collect();
    Fail(format!(
        "expected ({}), got ({})",
        expected.join(", "),
        show_values(actual)
    ))
}

fn f32_matches(expected: &NanPattern<wast::token::F32>, actual: u32) -> bool {
    match expected {
        NanPattern::Value(e) => e.bits == actual,
        NanPattern::CanonicalNan => actual & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => actual & 0x7fc0_0000 == 0x7fc0_0000,
    }
}

fn f64_matches(expected: &NanPattern<wast::token::F64>, actual: u64) -> bool {
    match expected {
        NanPattern::Value(e) => e.bits == actual,
        NanPattern::CanonicalNan => actual & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => actual & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
    }
}

/// Lane `i` of `width` bits of a v128, zero-extended.
fn lane(v: u128, width: u32, i: usize) -> u128 {
    (v >> (width as usize * i)) & (u128::MAX >> (128 - width))
}

/// A v128 against its pattern, lane by lane (NaN patterns per lane).
fn v128_matches(expected: &V128Pattern, actual: u128) -> bool {
    fn ints<T: Copy + Into<i128>>(lanes: &[T], width: u32, actual: u128) -> bool {
        let mask = u128::MAX >> (128 - width);
        lanes
            .iter()
            .enumerate()
            .all(|(i, &e)| (e.into() as u128) & mask == lane(actual, width, i))
    }
    match expected {
        V128Pattern::I8x16(l) => ints(l, 8, actual),
        V128Pattern::I16x8(l) => ints(l, 16, actual),
        V128Pattern::I32x4(l) => ints(l, 32, actual),
        V128Pattern::I64x2(l) => ints(l, 64, actual),
        V128Pattern::F32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f32_matches(e, lane(actual, 32, i) as u32)),
        V128Pattern::F64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f64_matches(e, lane(actual, 64, i) as u64)),
    }
}

fn value_matches(expected: &WastRetCore<'_>, actual: &Val) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(ty), Val::FuncRef(None)) => ty
            .as_ref()
            .is_none_or(|t| abstract_type(t) == Some(AbstractHeapType::Func)),
        (WastRetCore::RefNull(ty), Val::ExternRef(None)) => ty
            .as_ref()
            .is_none_or(|t| abstract_type(t) == Some(AbstractHeapType::Extern)),
        (WastRetCore::RefExtern(e), Val::ExternRef(Some(a))) => e.is_none_or(|e| e as u64 == *a),
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::Either(cases), a) => cases.iter().any(|e| value_matches(e, a)),
        _ => false,
    }
}

fn show_expected(expected: &WastRetCore<'_>) -> String {
    match expected {
        WastRetCore::I32(v) => format!("i32:{v}"),
        WastRetCore::I64(v) => format!("i64:{v}"),
        WastRetCore::F32(NanPattern::Value(v)) => show_value(&Val::F32(v.bits)),
        WastRetCore::F64(NanPattern::Value(v)) => show_value(&Val::F64(v.bits)),
        WastRetCore::F32(p) => format!("f32:{p:?}"),
        WastRetCore::F64(p) => format!("f64:{p:?}"),
        WastRetCore::Either(cases) => {
            let cases: Vec<String> = cases.iter().map(show_expected).collect();
            format!("either({})", cases.join(" | "))
        }
        other => format!("{other:?}"),
    }
}

fn show_value(value: &Val) -> String {
    match value {
        Val::I32(v) => format!("i32:{v}"),
        Val::I64(v) => format!("i64:{v}"),
        Val::F32(bits) => format!("f32:{} ({bits:#010x})", f32::from_bits(*bits)),
        Val::F64(bits) => format!("f64:{} ({bits:#018x})", f64::from_bits(*bits)),
        Val::V128(bits) => format!("v128:{bits:#034x}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(v)) => format!("ref.extern {v}"),
    }
}

fn show_values(values: &[Val]) -> String {
    values.iter().map(show_value).collect::<Vec<_>>().join(", ")
}

fn kind(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module_definition",
        WastDirective::ModuleInstance { .. } => "module_instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// Directives seen, by kind.
    kinds: Vec<(&'static str, usize)>,
}

impl Tally {
    fn count_kind(&mut self, kind: &'static str, count: usize) {
        match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += count,
            None => self.kinds.push((kind, count)),
        }
    }

    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        for &(kind, n) in &other.kinds {
            self.count_kind(kind, n);
        }
    }

    fn total(&self) -> usize {
        self.kinds.iter().map(|(_, n)| n).sum()
    }
}

thread_local! {
    /// The message and place of the last panic, for the failure line it becomes.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs one file; returns its tally and the lines to print under its summary.
fn run_file(path: &Path) -> (Tally, Vec<String>) {
    let mut tally = Tally::default();
    let mut lines = Vec::new();
    let src = match std::fs::read_to_string(path) {
        Ok(src) => src,
        Err(e) => {
            tally.count_kind("unreadable file", 1);
            tally.failed += 1;
            return (tally, vec![format!("cannot read the file: {e}")]);
        }
    };
    // names.wast uses bidirectional-override characters in names on purpose.
    let mut lexer = Lexer::new(&src);
    lexer.allow_confusing_unicode(true);
    let parsed = ParseBuffer::new_with_lexer(lexer).and_then(|buf| {
        let wast = parser::parse::<Wast>(&buf)?;
        run_directives(wast, &src, &mut tally, &mut lines);
        Ok(())
    });
    if let Err(mut e) = parsed {
        e.set_text(&src);
        tally.count_kind("unparsable file", 1);
        tally.failed += 1;
        lines.push(format!("the file does not parse: {e}"));
    }
    (tally, lines)
}

fn run_directives(wast: Wast<'_>, src: &str, tally: &mut Tally, lines: &mut Vec<String>) {
    let mut script = Script::new();
    let line = |span: Span| span.linecol_in(src).0 + 1;
    for directive in wast.directives {
        let kind = kind(&directive);
        let at = line(directive.span());
        tally.count_kind(kind, 1);
        let outcome =
            catch_unwind(AssertUnwindSafe(|| script.run(directive))).unwrap_or_else(|_| {
                let why = PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
                Fail(format!("panicked: {why}"))
            });
        match outcome {
            Pass => tally.passed += 1,
            Fail(why) => {
                tally.failed += 1;
                lines.push(format!("FAIL {kind} at line {at}: {why}"));
            }
            Skip(why) => {
                tally.skipped += 1;
                lines.push(format!("skip {kind} at line {at}: {why}"));
            }
        }
        for note in script.notes.drain(..) {
            lines.push(format!("note {kind} at line {at}: {note}"));
        }
    }
}

fn metered() -> bool {
    std::env::var_os("WASM_SPEC_FUEL").is_some_and(|v| v == "1")
}

fn suite_dir() -> PathBuf {
    match std::env::var_os("WASM_TESTSUITE") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/wasm-testsuite"
        )),
    }
}

fn main() {
    // A panic in a directive becomes its failure line, not a message on stderr.
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        let place = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{place}")));
    }));

    let dir = suite_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            eprintln!("cannot read the test suite at {}: {e}", dir.display());
            std::process::exit(2)
        })
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".wast")
        })
        .collect();
    files.sort();

    let mut total = Tally::default();
    let mut non_simd = Tally::default();
    let (mut files_passed, mut files_failed) = (0, 0);
    let stdout = std::io::stdout();
    for path in &files {
        let (tally, lines) = run_file(path);
        let name = path.file_name().unwrap().to_string_lossy();
        let mut out = format!(
            "{name}: {} passed, {} failed, {} skipped\n",
            tally.passed, tally.failed, tally.skipped
        );
        for line in lines.iter().take(SHOWN_FAILURES) {
            writeln!(out, "    {line}").unwrap();
        }
        if lines.len() > SHOWN_FAILURES {
            writeln!(out, "    ... and {} more", lines.len() - SHOWN_FAILURES).unwrap();
        }
        stdout.lock().write_all(out.as_bytes()).unwrap();
        if tally.failed == 0 {
            files_passed += 1;
        } else {
            files_failed += 1;
        }
        total.add(&tally);
        if !name.starts_with("simd_") {
            non_simd.add(&tally);
        }
    }
    // Back to the default hook: a panic of the runner itself must be reported.
    drop(std::panic::take_hook());

    let seen = total.total();
    assert_eq!(
        seen,
        total.passed + total.failed + total.skipped,
        "every directive seen must be passed, failed or skipped"
    );
    let mut kinds: Vec<String> = KINDS
        .iter()
        .map(|&k| {
            let n = total
                .kinds
                .iter()
                .find(|(kind, _)| *kind == k)
                .map_or(0, |(_, n)| *n);
            format!("{k} {n}")
        })
        .collect();
    kinds.extend(
        total
            .kinds
            .iter()
            .filter(|(k, _)| !KINDS.contains(k))
            .map(|(k, n)| format!("{k} {n}")),
    );
    println!();
    println!("directives by kind: {}", kinds.join(", "));
    let metered = if metered() { ", metered code" } else { "" };
    println!(
        "wasm spec (non-SIMD{metered}): {} passed, {} failed, {} skipped of {} directives",
        non_simd.passed,
        non_simd.failed,
        non_simd.skipped,
        non_simd.total()
    );
    println!(
        "wasm spec (all{metered}): {} passed, {} failed, {} skipped of {seen} directives",
        total.passed, total.failed, total.skipped
    );
    let status = if files_failed == 0 { "ok" } else { "FAILED" };
    println!(
        "test result: {status}. {files_passed} passed; {files_failed} failed; 0 ignored; 0 measured; 0 filtered out"
    );
    if total.failed > 0 {
        std::process::exit(1);
    }
}
