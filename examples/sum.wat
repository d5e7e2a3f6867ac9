;; Build: cargo run -q -p wat2wasm -- examples/sum.wat   (writes examples/sum.wasm)
(module
  (func (export "sum") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
