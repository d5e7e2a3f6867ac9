--TEST--
Results: i32/i64 as signed int, f32/f64 as float, none as null, several as an array, null references
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
var_dump($i->add_i32(2147483647, 1));
var_dump($i->add_i32(4294967295, 0));
var_dump($i->add_i64(-5, 2));
var_dump($i->add_f32(1, 2));
var_dump($i->add_f64(1, 2));
var_dump($i->nothing());
var_dump($i->swap(7, -8));
var_dump($i->three());
var_dump($i->sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
var_dump($i->null_ref(), $i->is_null(null));
?>
--EXPECT--
int(-2147483648)
int(-1)
int(-3)
float(3)
float(3)
NULL
array(2) {
  [0]=>
  int(-8)
  [1]=>
  int(7)
}
array(3) {
  [0]=>
  int(1)
  [1]=>
  float(2.5)
  [2]=>
  int(3)
}
int(55)
NULL
int(1)
