//! What the classes use of the Zend engine beyond ext-php-rs: the symbols it does not bind
//! (`zend_api`), PHP's time limit while wasm runs (`running`), and the ini settings of the
//! module cache (`cache`).

pub mod cache;
pub mod running;
pub mod zend_api;
