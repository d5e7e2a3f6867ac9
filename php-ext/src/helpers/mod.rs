//! What the classes use of the Zend engine beyond ext-php-rs: the symbols it does not bind
//! (`zend_api`), PHP's time limit (`running`) and signal handlers (`safepoints`) while wasm
//! runs, the stack of the fiber running (`fibers`), ini settings (`ini`) and those of the
//! module cache (`cache`), and what `var_dump` shows (`debug_info`).

pub mod cache;
pub mod debug_info;
pub mod fibers;
pub mod ini;
pub mod running;
pub mod safepoints;
pub mod zend_api;
