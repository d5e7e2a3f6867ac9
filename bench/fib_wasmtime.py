"""Reference figure for the fib benchmark: bench/fib.wasm run by Wasmtime (PyPI `wasmtime`).

    python3 bench/fib_wasmtime.py [N] [ROUNDS]

Prints "result <fib(N)>" and "wasmtime_seconds <best of ROUNDS>"; exits 2 when the `wasmtime`
package is not installed (pip install wasmtime).
"""
import os
import sys
import time

try:
    import wasmtime
except ImportError:
    sys.exit(2)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 35
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
engine = wasmtime.Engine()
store = wasmtime.Store(engine)
module = wasmtime.Module.from_file(engine, os.path.join(os.path.dirname(__file__), "fib.wasm"))
fib = wasmtime.Instance(store, module, []).exports(store)["fib"]
best = float("inf")
for _ in range(rounds):
    start = time.perf_counter()
    result = fib(store, n)
    best = min(best, time.perf_counter() - start)
print(f"result {result}")
print(f"wasmtime_seconds {best:.4f}")
