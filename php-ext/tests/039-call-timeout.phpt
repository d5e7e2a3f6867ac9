--TEST--
new Wasm\Instance(..., timeout: seconds): a call (or a start function) running past it traps with code "timeout"; the next call is normal
--EXTENSIONS--
wasm
--FILE--
<?php
$spin = '(module (func (export "spin") (loop (br 0))) (func (export "quick") (result i32) (i32.const 7)))';
$i = new Wasm\Instance($spin, [], timeout: 0.05);
$start = microtime(true);
try {
    $i->spin();
} catch (Wasm\Exception\Trap $e) {
    echo $e->getTrapCode(), ': ', strtok($e->getMessage(), "\n"), "\n";
}
echo microtime(true) - $start < 5 ? "stopped in time\n" : "too late\n";
var_dump($i->quick());
try {
    new Wasm\Instance('(module (func $s (loop (br 0))) (start $s))', [], timeout: 0.05);
} catch (Wasm\Exception\Trap $e) {
    echo 'start function: ', $e->getTrapCode(), "\n";
}
foreach ([-1, 0, INF, NAN] as $bad) {
    try {
        new Wasm\Instance($spin, [], timeout: $bad);
    } catch (ValueError $e) {
        echo strtok($e->getMessage(), "\n"), "\n";
    }
}
try {
    new Wasm\Instance($spin, [], timeout: 'soon');
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
?>
--EXPECTF--
timeout: wasm trap: call timed out (timeout) in function `%s`
stopped in time
int(7)
start function: timeout
Wasm\Instance::__construct(): Argument #4 ($timeout) must be a positive number of seconds, -1 given
Wasm\Instance::__construct(): Argument #4 ($timeout) must be a positive number of seconds, 0 given
Wasm\Instance::__construct(): Argument #4 ($timeout) must be a positive number of seconds, inf given
Wasm\Instance::__construct(): Argument #4 ($timeout) must be a positive number of seconds, NaN given
TypeError
