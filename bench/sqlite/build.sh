#!/bin/sh
# Builds bench/sqlite.wasm (committed) from main.c and SQLite's amalgamation, which ships in
# the sources of the libsqlite3-sys crate (fetched here with cargo from crates.io).
# Needs Debian's clang, lld-14, wasi-libc and libclang-rt-14-dev-wasm32.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nlibsqlite3-sys = { version = "=0.30.1", features = ["bundled"] }\n' > "$work/Cargo.toml"
echo 'fn main() {}' > "$work/src/main.rs"
cargo fetch -q --manifest-path "$work/Cargo.toml"
src=$(cargo metadata -q --format-version 1 --manifest-path "$work/Cargo.toml" |
      python3 -c 'import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"]=="libsqlite3-sys"][0])')/sqlite3
${CC:-clang} --target=wasm32-wasi --sysroot=/usr -O2 -fuse-ld=${WASM_LD:-/usr/bin/wasm-ld-14} \
    -I"$src" -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OS_OTHER=1 \
    -DSQLITE_OMIT_WAL -DSQLITE_TEMP_STORE=3 -Wl,--strip-all -w \
    -o ../sqlite.wasm main.c "$src/sqlite3.c" "$src/wasm32-wasi-vfs.c"
ls -l ../sqlite.wasm
