--TEST--
A wrong number of arguments is an ArgumentCountError naming the expected and given counts
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$calls = [['add_i32', []], ['add_i32', [1]], ['add_i32', [1, 2, 3]], ['id_f64', []], ['nothing', [1]], ['sum10', [1, 2]]];
foreach ($calls as [$f, $args]) {
    try {
        $i->$f(...$args);
    } catch (ArgumentCountError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    try {
        $i->call($f, ...$args);
    } catch (ArgumentCountError $e) {
        echo 'call(): ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
ArgumentCountError: add_i32(): expects exactly 2 arguments, 0 given
call(): add_i32(): expects exactly 2 arguments, 0 given
ArgumentCountError: add_i32(): expects exactly 2 arguments, 1 given
call(): add_i32(): expects exactly 2 arguments, 1 given
ArgumentCountError: add_i32(): expects exactly 2 arguments, 3 given
call(): add_i32(): expects exactly 2 arguments, 3 given
ArgumentCountError: id_f64(): expects exactly 1 argument, 0 given
call(): id_f64(): expects exactly 1 argument, 0 given
ArgumentCountError: nothing(): expects exactly 0 arguments, 1 given
call(): nothing(): expects exactly 0 arguments, 1 given
ArgumentCountError: sum10(): expects exactly 10 arguments, 2 given
call(): sum10(): expects exactly 10 arguments, 2 given
