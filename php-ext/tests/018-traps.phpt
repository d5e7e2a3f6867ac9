--TEST--
Every trap is a Wasm\Exception\Trap with its trap code; the message names the trap and the wasm function
--EXTENSIONS--
wasm
--FILE--
<?php
$t = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
$calls = [
    ['unreachable'],
    ['div', 1, 0],
    ['outer_div', 0],
    ['overflow'],
    ['bad_conversion'],
    ['oob_load', 65534],
    ['oob_store', -1],
    ['call_slot', 5],
    ['call_slot', 2],
    ['call_slot', 1],
    ['recurse', 0],
];
foreach ($calls as $call) {
    $name = array_shift($call);
    $args = $call;
    try {
        $t->$name(...$args);
        echo "$name: no trap\n";
    } catch (Wasm\Exception\Trap $e) {
        printf("%s: [%s] in %s: %s\n", $name, $e->getTrapCode(), $e->getFunctionName(), strtok($e->getMessage(), "\n"));
    }
}
var_dump($e instanceof Wasm\Exception\WasmException, $e instanceof RuntimeException);
var_dump($e->getFile() === __FILE__, $e->getLine());
// Functions that do not trap still run.
var_dump($t->div(7, 2), $t->call_slot(0), $t->outer_div(4));
// A Trap made by PHP code has no code.
$mine = new Wasm\Exception\Trap('made in PHP');
var_dump($mine->getTrapCode(), $mine->getFunctionName());
?>
--EXPECT--
unreachable: [unreachable] in do_unreachable: wasm trap: unreachable executed (unreachable) in function `do_unreachable`
div: [integer_divide_by_zero] in divide: wasm trap: integer divide by zero (integer_divide_by_zero) in function `divide`
outer_div: [integer_divide_by_zero] in inner_div: wasm trap: integer divide by zero (integer_divide_by_zero) in function `inner_div`
overflow: [integer_overflow] in overflow: wasm trap: integer overflow (integer_overflow) in function `overflow`
bad_conversion: [bad_conversion_to_integer] in bad_conversion: wasm trap: invalid conversion to integer (bad_conversion_to_integer) in function `bad_conversion`
oob_load: [memory_out_of_bounds] in oob_load: wasm trap: out of bounds memory access (memory_out_of_bounds) in function `oob_load`
oob_store: [memory_out_of_bounds] in oob_store: wasm trap: out of bounds memory access (memory_out_of_bounds) in function `oob_store`
call_slot: [table_out_of_bounds] in call_slot: wasm trap: out of bounds table access (table_out_of_bounds) in function `call_slot`
call_slot: [indirect_call_to_null] in call_slot: wasm trap: uninitialized element (indirect call to null) (indirect_call_to_null) in function `call_slot`
call_slot: [bad_signature] in call_slot: wasm trap: indirect call type mismatch (bad_signature) in function `call_slot`
recurse: [stack_overflow] in recurse: wasm trap: call stack exhausted (stack_overflow) in function `recurse`
bool(true)
bool(true)
bool(true)
int(20)
int(3)
int(7)
int(25)
string(0) ""
NULL
