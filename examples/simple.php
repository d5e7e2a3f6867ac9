<?php
/*
 * The smallest use of the extension: load sum.wasm (built from sum.wat) and call its export.
 *   php -d extension=wasm examples/simple.php
 */
$instance = new Wasm\Instance(__DIR__ . '/sum.wasm');
echo 'sum(5, 37) = ', $instance->sum(5, 37), "\n";
