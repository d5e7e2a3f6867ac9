--TEST--
max_execution_time stops a wasm infinite loop with PHP's usual fatal error; shutdown functions still call wasm
--EXTENSIONS--
wasm
--SKIPIF--
<?php
if (getenv('SKIP_SLOW_TESTS')) die('skip slow test');
// make memcheck: under valgrind the 1 s limit ends the script before it reaches the wasm call.
if (getenv('WASM_MEMCHECK')) die('skip too slow under valgrind for a 1 s time limit');
?>
--FILE--
<?php
set_time_limit(1);
$t = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
register_shutdown_function(function () use ($t) {
    echo "shutdown: ", $t->div(9, 3), "\n";
});
$t->spin();
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Maximum execution time of 1 second exceeded in %s on line %d
shutdown: 3
