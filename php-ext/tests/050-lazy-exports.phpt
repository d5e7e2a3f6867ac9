--TEST--
Exports are made on first use: thousands of exports, first calls from inside an import while another export runs, every kind of first access
--EXTENSIONS--
wasm
--FILE--
<?php
$n = 3000;
$wat = '(module (import "env" "visit" (func $visit)) (memory (export "memory") 1)
    (func (export "outer") (result i32) call $visit i32.const -1)';
for ($i = 0; $i < $n; $i++) {
    $wat .= "(func (export \"f$i\") (result i32) i32.const $i)";
}
$wat .= ')';
$instance = null;
$sum = 0;
$visit = function () use (&$instance, &$sum, $n) {
    // The first call of each export happens here, during the call of `outer`.
    for ($i = 0; $i < $n; $i++) {
        $sum += $instance->{"f$i"}();
    }
};
$module = new Wasm\Module($wat);
$instance = $module->instantiate(['env' => ['visit' => $visit]]);
var_dump($instance->outer(), $sum === $n * ($n - 1) / 2);
var_dump(count($instance->exports()), $instance->exports()['f2999'], $instance->hasFunction('f17'),
    $instance->hasFunction('memory'), $instance->call('f42'), $instance->f42());

// A second instance has exports of its own.
$other = $module->instantiate(['env' => ['visit' => fn() => null]]);
var_dump($other->f1(), $other->call('f2'));
try {
    $other->f3000();
} catch (BadMethodCallException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
int(-1)
bool(true)
int(3002)
string(13) "func() -> i32"
bool(true)
bool(false)
int(42)
int(42)
int(1)
int(2)
Call to undefined method Wasm\Instance::f3000(): the module has no export named `f3000`
