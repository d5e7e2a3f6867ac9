--TEST--
Ways to call exports: methods, call(), __call(), callables, first-class callables, subclasses, shadowed names
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
var_dump($i->add_i32(1, 2));
var_dump($i->call('add_i32', 3, 4));
var_dump($i->__call('add_i32', [5, 6]));
var_dump(call_user_func([$i, 'add_i32'], 7, 8));
var_dump(call_user_func_array([$i, 'add_i32'], [9, 10]));
var_dump(array_map([$i, 'id_i32'], [1, 2, 3]));
$f = $i->add_i32(...);
var_dump($f(100, 1));
$g = Closure::fromCallable([$i, 'add_i32']);
var_dump($g(200, 2));
var_dump(is_callable([$i, 'add_i32']), method_exists($i, 'add_i32'));
$name = 'add_' . 'i64';
var_dump($i->$name(1, 1));

// Export names are case-sensitive, PHP method names are not: the exact name wins.
var_dump($i->Sum(), $i->sum());

// Exports named like methods of Wasm\Instance are reached with call() and __call().
var_dump($i->global('counter') instanceof Wasm\GlobalVariable, $i->call('global'));
var_dump(is_array($i->exports()), $i->call('exports', 21), $i->__call('exports', [4]));

// A first-class callable bound to another instance calls that instance's export.
$other = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$other->bump();
$bound = Closure::bind($i->get_counter(...), $other);
var_dump($i->get_counter(), $bound());

// Subclasses: their methods win over exports of the same name.
class Calculator extends Wasm\Instance
{
    public function add_i32($a, $b) { return "php $a + $b"; }
    public function twice($x) { return $this->add_i64($x, $x); }
}
$c = new Calculator(__DIR__ . '/../../tests/fixtures/php_types.wasm');
var_dump($c->add_i32(1, 2), $c->call('add_i32', 1, 2), $c->twice(21), $c->id_f64(2.5));
?>
--EXPECT--
int(3)
int(7)
int(11)
int(15)
int(19)
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(2)
  [2]=>
  int(3)
}
int(101)
int(202)
bool(true)
bool(true)
int(2)
int(1)
int(2)
bool(true)
int(7)
bool(true)
int(42)
int(8)
int(5)
int(6)
string(9) "php 1 + 2"
int(3)
int(42)
float(2.5)
