#!/bin/sh
# Rebuild every examples/*.c to examples/*.wasm (the committed .wasm files), and the
# benchmark kernels bench/fib.c and bench/loops.c to bench/*.wasm.
# Needs Debian's clang and wasm-ld-14:  apt-get install -y clang lld-14
# Libraries without libc: they export what they mark with export_name, import only what
# they declare with import_module/import_name (--allow-undefined).
# WASI commands (WASI_PROGRAMS) link Debian's wasi-libc:
#   apt-get install -y wasi-libc libclang-rt-14-dev-wasm32
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang}
WASM_LD=${WASM_LD:-/usr/bin/wasm-ld-14}
WASI_PROGRAMS="wordcount"
# Built twice: NAME.wasm with 128-bit SIMD, NAME_scalar.wasm without, to measure the gain.
SIMD_PROGRAMS="blur"
for name in $WASI_PROGRAMS; do
    echo "$CC --target=wasm32-wasi ... -o $name.wasm $name.c"
    "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -fuse-ld="$WASM_LD" -Wl,--strip-all \
        -o "$name.wasm" "$name.c"
done
library() {
    out=$1
    shift
    echo "$CC --target=wasm32 $* ... -o $out"
    "$CC" --target=wasm32 -O2 -nostdlib -fno-builtin -ffp-contract=off \
        -fuse-ld="$WASM_LD" -Wl,--no-entry -Wl,--export-dynamic \
        -Wl,--allow-undefined -Wl,--strip-all \
        -o "$out" "$@"
}
for src in *.c; do
    name=${src%.c}
    case " $WASI_PROGRAMS " in *" $name "*) continue ;; esac
    case " $SIMD_PROGRAMS " in
    *" $name "*)
        library "$name.wasm" -msimd128 "$src"
        library "${name}_scalar.wasm" "$src"
        ;;
    *) library "$name.wasm" "$src" ;;
    esac
done
library ../bench/fib.wasm ../bench/fib.c
library ../bench/loops.wasm ../bench/loops.c
