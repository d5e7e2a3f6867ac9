--TEST--
max_execution_time reached inside try: only PHP's fatal error, at the line of the wasm call, with no "Uncaught" warning before it
--EXTENSIONS--
wasm
--SKIPIF--
<?php if (getenv('SKIP_SLOW_TESTS')) die('skip slow test'); ?>
--FILE--
<?php
set_time_limit(1);
$i = new Wasm\Instance('(module (func (export "spin") (loop (br 0))))');
try {
    $i->spin(); // line 5
} catch (Throwable $e) {
    echo "caught ", get_class($e), "\n";
}
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Maximum execution time of 1 second exceeded in %s on line 5
