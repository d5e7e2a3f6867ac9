//! `Wasm\Exception\CompileError extends WasmException`: the bytes are not a module the
//! engine can run (invalid, empty, truncated, or using an unsupported feature).

plain_exception_class!("Wasm\\Exception\\CompileError" extends super::wasm_exception::ce, super::wasm_exception::NAME);
