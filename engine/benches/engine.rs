//! `cargo bench -p wasm-engine`: n-body through the engine against the same C compiled
//! natively with clang -O2, a 3x3 blur built with and without wasm SIMD against native, compile
//! time, the cost of one host-to-wasm call, and compiling
//! and caching a large real module (SQLite, bench/sqlite.wasm) and n-body: one thread vs all,
//! memory cache hits, a fresh process loading from the disk cache, deserialize.
//!
//! Timings are noisy: read the ratios, which are measured in one run.

/// A cancel flag never set.
static NEVER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

use engine::embed::cache;
use engine::{Config, Engine, Instance, Module, Store, Val};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The engine every test shares, as the bindings share one per process.
fn engine() -> engine::Engine {
    static ENGINE: std::sync::OnceLock<engine::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(engine::Engine::default).clone()
}


const STEPS: i32 = 5_000_000;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Runs `bench/<name>_native.c`, built with clang -O2 on first use, with `args`; its output
/// is `key value` lines. `None` when clang is missing.
///
/// The loop kernels are built without vectorisation and without turning loops into library
/// calls, as their wasm is (no SIMD, `-fno-builtin`): both sides run the same scalar loops,
/// so the ratio is what the code generator and the loop checks cost.
fn native(name: &str, args: &[String]) -> Option<String> {
    static BUILT: std::sync::Mutex<Vec<(String, bool)>> = std::sync::Mutex::new(Vec::new());
    let exe = std::env::temp_dir().join(format!("engine-bench-{name}-native"));
    let mut built = BUILT.lock().unwrap();
    let ok = match built.iter().find(|(n, _)| n == name) {
        Some(&(_, ok)) => ok,
        None => {
            let scalar: &[&str] = if name == "loops" {
                &["-fno-builtin", "-fno-vectorize", "-fno-slp-vectorize"]
            } else {
                &[]
            };
            let ok = Command::new("clang")
                .arg("-O2")
                .args(scalar)
                .arg("-o")
                .arg(&exe)
                .arg(root().join(format!("bench/{name}_native.c")))
                .arg("-lm")
                .status()
                .is_ok_and(|s| s.success());
            built.push((name.to_owned(), ok));
            ok
        }
    };
    drop(built);
    if !ok {
        return None;
    }
    String::from_utf8(Command::new(&exe).args(args).output().ok()?.stdout).ok()
}

/// The text after `name` in a native run's output.
fn text_field(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ').map(str::to_owned))
}

/// The number after `name` in a native run's output.
fn field(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
}

fn f64_of(v: &[Val]) -> f64 {
    match v {
        [Val::F64(bits)] => f64::from_bits(*bits),
        other => panic!("expected one f64, got {other:?}"),
    }
}

fn main() {
    if let Ok(file) = std::env::var("BENCH_CHILD_COMPILE") {
        // A fresh process of the disk-cache benchmark: compile (or load) one module, exit.
        cache::set_cache_dir(std::env::var_os("BENCH_CACHE_DIR").map(Into::into));
        cache::compile(&std::fs::read(file).unwrap(), &NEVER).unwrap();
        println!("{:?}", cache::stats());
        return;
    }
    // `cargo bench -p wasm-engine -- fib blur` runs only the sections named.
    let named: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let sections: [(&str, fn()); 5] = [
        ("nbody", nbody),
        ("side", side_by_side),
        ("blur", blur),
        ("call", call),
        ("cache", cache),
    ];
    for (name, section) in sections {
        if named.is_empty() || named.iter().any(|n| n == name) {
            section();
        }
    }
}

/// n-body: compile time, engine against native, and with fuel.
fn nbody() {
    let wasm = std::fs::read(root().join("examples/nbody.wasm")).expect("examples/nbody.wasm");

    let rounds = 50;
    let start = Instant::now();
    for _ in 0..rounds {
        Module::new(&engine(), &wasm).unwrap();
    }
    let compile = start.elapsed().as_secs_f64() / rounds as f64;
    println!("compile nbody.wasm ({} bytes): {:.3} ms", wasm.len(), compile * 1e3);

    let store = Store::new(&engine());
    let instance = Instance::new(&store, &Module::new(&engine(), &wasm).unwrap(), &[]).unwrap();
    let (init, step) = (instance.get_func("init").unwrap(), instance.get_func("step").unwrap());
    let jit = best(3, || {
        init.call(&[]).unwrap();
        step.call(&[Val::I32(STEPS)]).unwrap();
    });
    init.call(&[]).unwrap();
    let energy = f64_of(&step.call(&[Val::I32(STEPS)]).unwrap());

    // The same module in a store with fuel runs the metered code.
    let metered_store = Store::new(&engine());
    const FUEL: u64 = 1 << 62;
    metered_store.set_fuel(FUEL).unwrap();
    let metered = Instance::new(&metered_store, &Module::new(&engine(), &wasm).unwrap(), &[]).unwrap();
    let (init, step) = (metered.get_func("init").unwrap(), metered.get_func("step").unwrap());
    let mut fueled = f64::INFINITY;
    for _ in 0..3 {
        init.call(&[]).unwrap();
        let start = Instant::now();
        let metered_energy = f64_of(&step.call(&[Val::I32(STEPS)]).unwrap());
        fueled = fueled.min(start.elapsed().as_secs_f64());
        assert_eq!(metered_energy.to_bits(), energy.to_bits());
    }
    let used = FUEL - metered_store.fuel().unwrap().unwrap();
    println!(
        "n-body with fuel: {fueled:.3} s, {:.2}x the unmetered run (target <= 1.5x), {:.1} units per step",
        fueled / jit,
        used as f64 / 3.0 / STEPS as f64
    );

}

/// The cost of one call from Rust into wasm.
fn call() {
    let store = Store::new(&engine());
    let sum_wasm = wast_sum();
    let sum_instance = Instance::new(&store, &Module::new(&engine(), &sum_wasm).unwrap(), &[]).unwrap();
    let sum = sum_instance.get_func("sum").unwrap();
    let calls = 2_000_000;
    let mut out = Vec::new();
    let start = Instant::now();
    let mut acc = 0i32;
    for i in 0..calls {
        sum.call_into(&[Val::I32(i), Val::I32(1)], &mut out).unwrap();
        if let [Val::I32(r)] = out[..] {
            acc = acc.wrapping_add(r);
        }
    }
    let per_call = start.elapsed().as_secs_f64() / calls as f64;
    println!("host->wasm call sum(i32, i32): {:.1} ns per call (checksum {acc})", per_call * 1e9);

}

/// Compiling SQLite and n-body: one thread vs all, the memory and the disk cache.
fn cache() {
    compile_and_cache("bench/sqlite.wasm", 1);
    compile_and_cache("examples/nbody.wasm", 50);
}


/// A kernel run three ways in one run: by this engine, natively, by Wasmtime.
struct Kernel {
    name: &'static str,
    /// The module, from the repository's root.
    wasm: &'static str,
    /// Calls made before each timed one (an `init`).
    setup: &'static [&'static str],
    export: &'static str,
    args: &'static [i32],
    /// bench/<native>_native.c, run with `native_prefix` and then `args`.
    native: &'static str,
    native_prefix: &'static [&'static str],
    target: &'static str,
}

const KERNELS: [Kernel; 4] = [
    Kernel {
        name: "n-body 5000000 steps",
        wasm: "examples/nbody.wasm",
        setup: &["init"],
        export: "step",
        args: &[5_000_000],
        native: "nbody",
        native_prefix: &[],
        target: "<= 1.10x native and at or below Wasmtime's",
    },
    // Almost nothing but calls: what a function entry costs.
    Kernel {
        name: "fib(38)",
        wasm: "bench/fib.wasm",
        setup: &[],
        export: "fib",
        args: &[38],
        native: "fib",
        native_prefix: &[],
        target: "at or below Wasmtime's",
    },
    // Tight loops without calls: what a loop iteration costs beyond its work.
    Kernel {
        name: "sieve(1000000) x60",
        wasm: "bench/loops.wasm",
        setup: &[],
        export: "sieve",
        args: &[1_000_000, 60],
        native: "loops",
        native_prefix: &["sieve"],
        target: "<= 1.30x native",
    },
    Kernel {
        name: "byte copy 1 MB x300",
        wasm: "bench/loops.wasm",
        setup: &[],
        export: "copy",
        args: &[1_000_000, 300],
        native: "loops",
        native_prefix: &["copy"],
        target: "none; for comparison",
    },
];

/// The kernels against native clang -O2 and, when the PyPI `wasmtime` package is installed,
/// Wasmtime. Seven rounds, the three runs interleaved in each, each timed on its second call
/// (warm code, caches and clock); the ratios are of the best times, and the median of the
/// rounds' engine/Wasmtime ratios, which a noisy machine moves less, says which is faster.
fn side_by_side() {
    for kernel in &KERNELS {
        let bytes = std::fs::read(root().join(kernel.wasm)).expect(kernel.wasm);
        let store = Store::new(&engine());
        let instance = Instance::new(&store, &Module::new(&engine(), &bytes).unwrap(), &[]).unwrap();
        let func = |name: &str| instance.get_func(name).unwrap();
        let setup: Vec<_> = kernel.setup.iter().map(|name| func(name)).collect();
        let export = func(kernel.export);
        let args: Vec<Val> = kernel.args.iter().map(|&a| Val::I32(a)).collect();
        let joined: Vec<String> = kernel.args.iter().map(|a| a.to_string()).collect();
        let native_args: Vec<String> = kernel.native_prefix.iter().map(|a| a.to_string()).chain(joined.iter().cloned()).collect();
        let mut wasmtime_args = vec![root().join(kernel.wasm).display().to_string(), "2".into()];
        wasmtime_args.extend(kernel.setup.iter().map(|s| s.to_string()));
        wasmtime_args.push(format!("{}:{}", kernel.export, joined.join(",")));

        let (mut jit, mut native_best, mut wasmtime) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
        let mut results = Vec::new();
        let mut against_wasmtime = Vec::new();
        for _ in 0..7 {
            let run = || {
                for f in &setup {
                    f.call(&[]).unwrap();
                }
                let start = Instant::now();
                let result = export.call(&args).unwrap();
                (start.elapsed().as_secs_f64(), result)
            };
            run();
            let (round, result) = run();
            jit = jit.min(round);
            results.push(match result[..] {
                [Val::I32(r)] => (r as u32).to_string(),
                [Val::F64(bits)] => format!("{:.9}", f64::from_bits(bits)),
                _ => panic!("{} returned {result:?}", kernel.export),
            });
            if let Some(text) = native(kernel.native, &native_args) {
                native_best = native_best.min(field(&text, "native_seconds").unwrap());
                results.push(text_field(&text, "result").unwrap());
            }
            let reference = Command::new("python3")
                .arg(root().join("bench/wasmtime_run.py"))
                .args(&wasmtime_args)
                .output();
            if let Some(text) = reference.ok().filter(|o| o.status.success()).and_then(|o| String::from_utf8(o.stdout).ok()) {
                let seconds = field(&text, "wasmtime_seconds").unwrap();
                wasmtime = wasmtime.min(seconds);
                against_wasmtime.push(round / seconds);
                results.push(text_field(&text, "result").unwrap());
            }
        }
        let name = kernel.name;
        assert!(results.windows(2).all(|w| w[0] == w[1]), "{name}: results differ: {results:?}");
        println!("{name}, engine: {jit:.4} s, result {}", results[0]);
        if native_best.is_finite() {
            println!("{name} engine/native ratio: {:.3}x (target: {})", jit / native_best, kernel.target);
        } else {
            println!("{name} native: clang not available, ratio not measured");
        }
        if wasmtime.is_finite() {
            if native_best.is_finite() {
                println!("{name} wasmtime/native ratio: {:.3}x", wasmtime / native_best);
            }
            against_wasmtime.sort_by(f64::total_cmp);
            println!(
                "{name} engine/wasmtime, median of {} rounds: {:.3}x",
                against_wasmtime.len(),
                against_wasmtime[against_wasmtime.len() / 2]
            );
        } else {
            println!("{name} wasmtime: python3 with the PyPI wasmtime package not available, not measured");
        }
    }
}

const BLUR_ROUNDS: i32 = 200;

/// The blur of examples/blur.c, 1024x1024 pixels: built with wasm SIMD, without, and native
/// (SSE2, the x86-64 baseline, the same 128-bit width). Best of three, runs interleaved.
fn blur() {
    let instance = |path: &str| {
        let bytes = std::fs::read(root().join(path)).expect(path);
        let store = Store::new(&engine());
        let instance = Instance::new(&store, &Module::new(&engine(), &bytes).unwrap(), &[]).unwrap();
        instance.get_func("fill").unwrap().call(&[Val::I32(1)]).unwrap();
        instance.get_func("blur").unwrap()
    };
    let builds = [instance("examples/blur.wasm"), instance("examples/blur_scalar.wasm")];
    let mut seconds = [f64::INFINITY; 3];
    let mut sums = [None; 3];
    for _ in 0..3 {
        for (i, blur) in builds.iter().enumerate() {
            let start = Instant::now();
            let sum = blur.call(&[Val::I32(BLUR_ROUNDS)]).unwrap();
            seconds[i] = seconds[i].min(start.elapsed().as_secs_f64());
            sums[i] = match sum[..] {
                [Val::I32(s)] => Some(s as u32 as f64),
                _ => panic!("blur returned {sum:?}"),
            };
        }
        if let Some(text) = native("blur", &[BLUR_ROUNDS.to_string()]) {
            seconds[2] = seconds[2].min(field(&text, "native_seconds").unwrap());
            sums[2] = field(&text, "checksum");
        }
    }
    assert_eq!(sums[0], sums[1], "SIMD and scalar builds disagree");
    let [simd, scalar, native] = seconds;
    println!(
        "blur 1024x1024 x{BLUR_ROUNDS}: wasm SIMD {simd:.3} s, wasm scalar {scalar:.3} s; SIMD {:.2}x faster than scalar (target >= 2x)",
        scalar / simd
    );
    match sums[2] {
        Some(sum) => {
            assert_eq!(sums[0], Some(sum), "wasm and native disagree");
            println!("blur native clang -O2: {native:.3} s; wasm SIMD/native ratio: {:.2}x (target <= 1.5x)", simd / native);
        }
        None => println!("blur native: clang not available, ratio not measured"),
    }
}

/// Seconds per run of `f`, the best of `rounds`.
fn best(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The number of functions a module defines (its function section's count).
fn defined_functions(bytes: &[u8]) -> u64 {
    fn leb(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut value, mut shift) = (0, 0);
        loop {
            let byte = bytes[*at];
            *at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                return value;
            }
        }
    }
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let size = leb(bytes, &mut at) as usize;
        if id == 3 {
            return leb(bytes, &mut at.clone());
        }
        at += size;
    }
    0
}

/// Compile times of the module at `path` (relative to the repository): cold on one thread and
/// on all, from the memory cache, from the disk cache in a fresh process, and deserialized.
fn compile_and_cache(path: &str, rounds: usize) {
    let bytes = std::fs::read(root().join(path)).expect(path);
    let name = Path::new(path).file_name().unwrap().to_string_lossy();
    let functions = defined_functions(&bytes);
    let serial = Engine::new(Config::new().parallel_compilation(false)).unwrap();
    let one = best(rounds, || drop(Module::new(&serial, &bytes).unwrap()));
    let all = best(rounds, || drop(Module::new(&engine(), &bytes).unwrap()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "compile {name} ({} KB, {functions} functions): 1 thread {:.1} ms ({:.0} functions/s), {threads} threads {:.1} ms ({:.2}x faster)",
        bytes.len() / 1024,
        one * 1e3,
        functions as f64 / one,
        all * 1e3,
        one / all
    );

    cache::compile(&bytes, &NEVER).unwrap();
    let hit = best(rounds.max(20), || drop(cache::compile(&bytes, &NEVER).unwrap()));
    println!("compile {name} again in the same process (memory cache): {:.3} ms ({:.0}x faster than cold on {threads} threads)", hit * 1e3, all / hit);

    let module = Module::new(&engine(), &bytes).unwrap();
    let blob = module.serialize();
    // SAFETY: a blob this engine just serialized.
    let load = best(rounds.max(20), || drop(unsafe { Module::deserialize(&engine(), &blob) }.unwrap()));
    println!("Module::deserialize {name} ({} KB serialized): {:.3} ms", blob.len() / 1024, load * 1e3);

    // Whole fresh processes: one that compiles (an empty cache directory) and one that loads
    // what the first wrote.
    let dir = std::env::temp_dir().join(format!("engine-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let process = |expect: &str| {
        let start = Instant::now();
        let out = Command::new(std::env::current_exe().unwrap())
            .env("BENCH_CHILD_COMPILE", root().join(path))
            .env("BENCH_CACHE_DIR", &dir)
            .output()
            .unwrap();
        let seconds = start.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expect), "child process: {text}");
        seconds
    };
    let cold = process("compiled: 1");
    let warm = (0..5).map(|_| process("disk_hits: 1")).fold(f64::INFINITY, f64::min);
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "fresh process compiling {name}: {:.1} ms; loading it from the disk cache: {:.1} ms ({:.0}x faster; target >= 50x for a large module)",
        cold * 1e3,
        warm * 1e3,
        cold / warm
    );
}

fn wast_sum() -> Vec<u8> {
    let src = r#"(module (func (export "sum") (param i32 i32) (result i32)
        local.get 0 local.get 1 i32.add))"#;
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut module: wast::Wat = wast::parser::parse(&buf).unwrap();
    module.encode().unwrap()
}
