--TEST--
Arguments of type i64 (int) and f32/f64 (int or float); TypeError for anything else
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
var_dump($i->id_i64(PHP_INT_MAX), $i->id_i64(PHP_INT_MIN));
var_dump($i->add_i64(PHP_INT_MAX, 1));
var_dump($i->id_f64(1.5), $i->id_f64(3), $i->id_f64(-0.0), $i->id_f64(INF), is_nan($i->id_f64(NAN)));
var_dump($i->id_f64(PHP_INT_MAX));
var_dump($i->id_f32(1.5), $i->id_f32(7), $i->id_f32(0.1), $i->id_f32(1e40));
var_dump($i->add_f64(0.1, 0.2), $i->add_f32(0.1, 0.2));
$calls = [
    ['id_i64', 1.0], ['id_i64', '5'], ['id_i64', null], ['id_i64', true],
    ['id_f64', true], ['id_f64', '1.5'], ['id_f64', null],
    ['id_f32', false], ['id_f32', []],
];
foreach ($calls as [$f, $v]) {
    try {
        $i->$f($v);
        echo "accepted\n";
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
int(9223372036854775807)
int(-9223372036854775808)
int(-9223372036854775808)
float(1.5)
float(3)
float(-0)
float(INF)
bool(true)
float(9.223372036854776E+18)
float(1.5)
float(7)
float(0.10000000149011612)
float(INF)
float(0.30000000000000004)
float(0.30000001192092896)
TypeError: id_i64(): argument #1 must be of type i64, float given
TypeError: id_i64(): argument #1 must be of type i64, string given
TypeError: id_i64(): argument #1 must be of type i64, null given
TypeError: id_i64(): argument #1 must be of type i64, bool given
TypeError: id_f64(): argument #1 must be of type f64, bool given
TypeError: id_f64(): argument #1 must be of type f64, string given
TypeError: id_f64(): argument #1 must be of type f64, null given
TypeError: id_f32(): argument #1 must be of type f32, bool given
TypeError: id_f32(): argument #1 must be of type f32, array given
