//! What the classes use of the Zend engine beyond ext-php-rs: the symbols it does not bind
//! (`zend_api`), and PHP's time limit while wasm runs (`running`).

pub mod running;
pub mod zend_api;
