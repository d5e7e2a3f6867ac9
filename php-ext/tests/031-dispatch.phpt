--TEST--
One call site, many instances: each call reaches the export of its own object (or __call when it has none)
--EXTENSIONS--
wasm
--FILE--
<?php
$types = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$sum = new Wasm\Instance(__DIR__ . '/../../examples/sum.wasm');
$traps = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
// The same call site (one opline) with objects of the same class and different exports
// (php_types.wasm has a sum() without parameters).
function call_sum(Wasm\Instance $i) {
    return $i->sum(2, 3);
}
foreach ([$types, $sum, $types, $traps, $sum] as $i) {
    try {
        var_dump(call_sum($i));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
function call_div(Wasm\Instance $i) {
    return $i->div(9, 3);
}
foreach ([$traps, $sum, $traps] as $i) {
    try {
        var_dump(call_div($i));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

// A subclass with its own __call gets the calls of exports its instance lacks.
class Forwarding extends Wasm\Instance
{
    public function __call(string $name, array $arguments): mixed
    {
        return "__call($name, " . implode(', ', $arguments) . ')';
    }
}
$a = new Forwarding(__DIR__ . '/../../examples/sum.wasm');
$b = new Forwarding(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
function call_sum_forwarding(Forwarding $i) {
    return $i->sum(4, 5);
}
var_dump(call_sum_forwarding($a), call_sum_forwarding($b), call_sum_forwarding($a));
var_dump($b->nope(1, 2));

// Closures of exports keep calling their instance's export.
$f = $sum->sum(...);
$g = $traps->div(...);
var_dump($f(1, 2), $g(8, 4));
unset($sum);
var_dump($f(3, 4));

// Dynamic names, call_user_func and is_callable on instances with and without the export.
foreach ([$types, $traps] as $i) {
    $name = 'add_i32';
    var_dump(is_callable([$i, $name]), method_exists($i, $name));
    try {
        var_dump($i->$name(1, 1), call_user_func([$i, $name], 2, 2));
    } catch (BadMethodCallException $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
ArgumentCountError: sum(): expects exactly 0 arguments, 2 given
int(5)
ArgumentCountError: sum(): expects exactly 0 arguments, 2 given
BadMethodCallException: Call to undefined method Wasm\Instance::sum(): the module has no export named `sum`
int(5)
int(3)
BadMethodCallException: Call to undefined method Wasm\Instance::div(): the module has no export named `div`
int(3)
int(9)
string(17) "__call(sum, 4, 5)"
int(9)
string(18) "__call(nope, 1, 2)"
int(3)
int(2)
int(7)
bool(true)
bool(true)
int(2)
int(4)
bool(true)
bool(false)
Call to undefined method Wasm\Instance::add_i32(): the module has no export named `add_i32`
