"""Reference figures for the benchmarks: a kernel of bench/ or examples/ run by Wasmtime (the
PyPI `wasmtime` package), as engine/benches/engine.rs runs it through this engine.

    python3 bench/wasmtime_run.py FILE ROUNDS CALL...

Each CALL is `export` or `export:arg,arg` (i32 arguments). Each round makes the calls in
order and times the last; prints "result <what the last call returned>" and
"wasmtime_seconds <best of ROUNDS>". Exits 2 when the package is not installed
(pip install wasmtime).
"""
import sys
import time

try:
    import wasmtime
except ImportError:
    sys.exit(2)

path, rounds, calls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
engine = wasmtime.Engine()
store = wasmtime.Store(engine)
module = wasmtime.Module.from_file(engine, path)
exports = wasmtime.Instance(store, module, []).exports(store)
parsed = []
for call in calls:
    name, _, args = call.partition(":")
    parsed.append((exports[name], [int(a) for a in args.split(",") if a]))
best = float("inf")
for _ in range(rounds):
    for func, args in parsed[:-1]:
        func(store, *args)
    func, args = parsed[-1]
    start = time.perf_counter()
    result = func(store, *args)
    best = min(best, time.perf_counter() - start)
# As the native programs print them: i32 results unsigned, f64 ones to 9 places.
print(f"result {result:.9f}" if isinstance(result, float) else f"result {result & 0xffffffff}")
print(f"wasmtime_seconds {best:.4f}")
