--TEST--
max_execution_time running out in PHP code inside an import: PHP's fatal error; the instance still works afterwards
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
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) {
        if ($n == 1) {
            while (true) {
            }
        }
    },
]]);
register_shutdown_function(function () use ($i) {
    echo "shutdown: ", $i->add(3, 4), ' ', $i->log_upto(1), "\n";
});
$i->log_upto(5);
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Maximum execution time of 1 second exceeded in %s on line %d
shutdown: 4 1
