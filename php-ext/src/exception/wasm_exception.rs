//! `Wasm\Exception\WasmException extends \RuntimeException`: the parent of every exception
//! the extension throws for wasm reasons, and what it throws for misuse that has no more
//! precise class (growing a memory past its maximum, setting an immutable global, ...).

plain_exception_class!("Wasm\\Exception\\WasmException" extends super::runtime_exception, "\\RuntimeException");
