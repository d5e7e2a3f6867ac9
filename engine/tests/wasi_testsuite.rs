//! The official WASI preview 1 test suite (72 programs in C, Rust and AssemblyScript), run
//! through the engine by the suite's own rules (its README): arguments, environment, a fresh
//! copy of the test's directory preopened as `/`, an empty stdin; the exit status and, where
//! given, stdout must match.
//!
//! The suite is read from `$WASI_TESTSUITE`, else from `shared/wasi-testsuite` next to the
//! repository. Prints one line per test and `wasi testsuite (wasip1): P passed, F failed of N`;
//! fails when any test fails. `WASI_ONLY=name` runs only the tests whose name contains it.

use engine::wasi::{Output, Preopen, Wasi, WasiConfig};
use engine::{Engine, Linker, Module, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn suite_dir() -> PathBuf {
    match std::env::var_os("WASI_TESTSUITE") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wasi-testsuite")),
    }
}

/// Copies `from` into `to`, files writable (the suite's copy is read-only), symlinks as
/// symlinks.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let ty = entry.file_type()?;
        if ty.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
        } else if ty.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644))?;
        }
    }
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755))
}

/// Runs one test; `Err` says why it failed.
fn run(engine: &Engine, wasm: &Path) -> Result<(), String> {
    let spec_path = wasm.with_extension("json");
    let spec: Value = match std::fs::read_to_string(&spec_path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?,
        Err(_) => Value::Object(Default::default()),
    };
    let name = wasm.file_name().unwrap().to_string_lossy().into_owned();
    let mut args = vec![name];
    if let Some(list) = spec["args"].as_array() {
        args.extend(list.iter().filter_map(|a| a.as_str().map(str::to_owned)));
    }
    let env = spec["env"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut preopens = Vec::new();
    if let Some(root) = spec["root"].as_str() {
        let copy = scratch.path().join(root);
        copy_tree(&wasm.parent().unwrap().join(root), &copy).map_err(|e| format!("copying {root}: {e}"))?;
        preopens.push(Preopen { guest: "/".into(), host: copy, read_only: false });
    }
    let config = WasiConfig {
        args,
        env,
        preopens,
        stdout: Output::Capture,
        stderr: Output::Capture,
        ..Default::default()
    };
    let wasi = Wasi::new(&config).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(wasm).map_err(|e| e.to_string())?;
    let module = Module::new(engine, &bytes).map_err(|e| e.to_string())?;
    let store = Store::new(engine);
    let mut linker = Linker::new();
    wasi.add_to_linker(&store, &mut linker);
    let instance = linker.instantiate(&store, &module).map_err(|e| e.to_string())?;
    let status = engine::wasi::start(&instance).map_err(|e| {
        format!("{e}; stderr: {}", String::from_utf8_lossy(&wasi.stderr()).trim_end())
    })?;
    let expected = spec["exit_code"].as_i64().unwrap_or(0);
    if status as i64 != expected {
        return Err(format!(
            "exit status {status}, expected {expected}; stderr: {}",
            String::from_utf8_lossy(&wasi.stderr()).trim_end()
        ));
    }
    if let Some(out) = spec["stdout"].as_str() {
        let got = wasi.stdout();
        if got != out.as_bytes() {
            return Err(format!("stdout {:?}, expected {out:?}", String::from_utf8_lossy(&got)));
        }
    }
    Ok(())
}

fn main() {
    let dir = suite_dir();
    let mut tests = Vec::new();
    for suite in ["assemblyscript", "c", "rust"] {
        let Ok(entries) = std::fs::read_dir(dir.join(suite)) else {
            eprintln!("no WASI test suite at {} (set WASI_TESTSUITE)", dir.display());
            std::process::exit(1);
        };
        let mut wasms: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
            .collect();
        wasms.sort();
        tests.extend(wasms.into_iter().map(|p| (suite, p)));
    }
    // WASI_ONLY=name runs the tests whose name contains it (for debugging one).
    let only = std::env::var("WASI_ONLY").ok();
    if only.is_some() {
        tests.retain(|(_, p)| p.file_stem().unwrap().to_string_lossy().contains(only.as_deref().unwrap()));
    }
    let engine = Engine::default();
    let (mut passed, mut failed) = (0, 0);
    for (suite, wasm) in &tests {
        let name = wasm.file_stem().unwrap().to_string_lossy();
        match run(&engine, wasm) {
            Ok(()) => {
                passed += 1;
                println!("wasi {suite}/{name}: ok");
            }
            Err(why) => {
                failed += 1;
                println!("wasi {suite}/{name}: FAILED: {why}");
            }
        }
    }
    println!("wasi testsuite (wasip1): {passed} passed, {failed} failed of {}", tests.len());
    if failed > 0 || tests.is_empty() {
        std::process::exit(1);
    }
}
