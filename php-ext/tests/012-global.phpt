--TEST--
Wasm\GlobalVariable: get, set, isMutable, type; immutable globals and values of the wrong type are refused
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$counter = $i->global('counter');
var_dump($counter->get(), $counter->isMutable(), $counter->type());
$counter->set(41);
var_dump($i->bump(), $counter->get(), $i->global('counter')->get());
$counter->set(1);
var_dump($i->get_counter());
$counter->set(4294967295);
var_dump($counter->get());

$big = $i->global('big');
var_dump($big->get(), $big->type());
$big->set(PHP_INT_MIN);
var_dump($big->get());

$ratio = $i->global('ratio');
var_dump($ratio->get(), $ratio->type());
$ratio->set(2);
var_dump($ratio->get());
$ratio->set(0.1);
var_dump($ratio->get());

$pi = $i->global('pi');
var_dump($pi->get(), $pi->isMutable(), $pi->type());

$attempts = [
    'immutable' => fn() => $pi->set(3.0),
    'i32 string' => fn() => $counter->set('1'),
    'i32 float' => fn() => $counter->set(1.0),
    'i32 null' => fn() => $counter->set(null),
    'i32 range' => fn() => $counter->set(1 << 32),
    'i64 float' => fn() => $big->set(1.5),
    'f32 bool' => fn() => $ratio->set(false),
    'unknown' => fn() => $i->global('nope'),
    'not a global' => fn() => $i->global('memory'),
];
foreach ($attempts as $what => $attempt) {
    try {
        $attempt();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump($pi->get(), $counter->get());
?>
--EXPECT--
int(5)
bool(true)
string(3) "i32"
int(42)
int(42)
int(42)
int(1)
int(-1)
int(-9000000000)
string(3) "i64"
int(-9223372036854775808)
float(0.5)
string(3) "f32"
float(2)
float(0.10000000149011612)
float(3.141592653589793)
bool(false)
string(3) "f64"
immutable: Wasm\Exception\WasmException: cannot set the global `pi`: it is immutable
i32 string: TypeError: Wasm\GlobalVariable::set(): argument #1 must be of type i32, string given
i32 float: TypeError: Wasm\GlobalVariable::set(): argument #1 must be of type i32, float given
i32 null: TypeError: Wasm\GlobalVariable::set(): argument #1 must be of type i32, null given
i32 range: ValueError: Wasm\GlobalVariable::set(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, 4294967296 given
i64 float: TypeError: Wasm\GlobalVariable::set(): argument #1 must be of type i64, float given
f32 bool: TypeError: Wasm\GlobalVariable::set(): argument #1 must be of type f32, bool given
unknown: Wasm\Exception\WasmException: the module has no export named `nope`
not a global: Wasm\Exception\WasmException: the export `memory` is a memory, not a global
float(3.141592653589793)
int(-1)
