--TEST--
Arguments of type i32: int from -2^31 to 2^32-1; ValueError beyond, TypeError for other types (bool included)
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
foreach ([0, 42, -1, -2147483648, 2147483647, 2147483648, 4294967295] as $v) {
    echo var_export($v, true), ' -> ', $i->id_i32($v), ' (bits ', $i->u32_bits($v), ")\n";
}
foreach ([-2147483649, 4294967296, PHP_INT_MAX, PHP_INT_MIN] as $v) {
    try {
        $i->id_i32($v);
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
foreach ([1.0, 1.5, '1', 'abc', null, true, false, [], new stdClass, STDIN] as $v) {
    try {
        $i->add_i32(1, $v);
        echo "accepted\n";
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// References are dereferenced.
$x = 20;
$r = &$x;
var_dump($i->add_i32($r, 22));
?>
--EXPECT--
0 -> 0 (bits 0)
42 -> 42 (bits 42)
-1 -> -1 (bits 4294967295)
-2147483648 -> -2147483648 (bits 2147483648)
2147483647 -> 2147483647 (bits 2147483647)
2147483648 -> -2147483648 (bits 2147483648)
4294967295 -> -1 (bits 4294967295)
ValueError: id_i32(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, -2147483649 given
ValueError: id_i32(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, 4294967296 given
ValueError: id_i32(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, 9223372036854775807 given
ValueError: id_i32(): argument #1 must be between -2147483648 and 4294967295 to fit in i32, -9223372036854775808 given
TypeError: add_i32(): argument #2 must be of type i32, float given
TypeError: add_i32(): argument #2 must be of type i32, float given
TypeError: add_i32(): argument #2 must be of type i32, string given
TypeError: add_i32(): argument #2 must be of type i32, string given
TypeError: add_i32(): argument #2 must be of type i32, null given
TypeError: add_i32(): argument #2 must be of type i32, bool given
TypeError: add_i32(): argument #2 must be of type i32, bool given
TypeError: add_i32(): argument #2 must be of type i32, array given
TypeError: add_i32(): argument #2 must be of type i32, stdClass given
TypeError: add_i32(): argument #2 must be of type i32, resource given
int(42)
