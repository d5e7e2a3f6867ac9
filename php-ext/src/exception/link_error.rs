//! `Wasm\Exception\LinkError extends WasmException`: an import is missing or unusable. The
//! message names the import as `module`.`field`.

plain_exception_class!("Wasm\\Exception\\LinkError" extends super::wasm_exception::ce, super::wasm_exception::NAME);
