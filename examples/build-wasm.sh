#!/bin/sh
# Rebuild every examples/*.c to examples/*.wasm (the committed .wasm files).
# Needs Debian's clang and wasm-ld-14:  apt-get install -y clang lld-14
# No libc: modules export what they mark with export_name, import only what
# they declare with import_module/import_name (--allow-undefined).
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang}
WASM_LD=${WASM_LD:-/usr/bin/wasm-ld-14}
for src in *.c; do
    out=${src%.c}.wasm
    echo "$CC --target=wasm32 ... -o $out $src"
    "$CC" --target=wasm32 -O2 -nostdlib -fno-builtin -ffp-contract=off \
        -fuse-ld="$WASM_LD" -Wl,--no-entry -Wl,--export-dynamic \
        -Wl,--allow-undefined -Wl,--strip-all \
        -o "$out" "$src"
done
