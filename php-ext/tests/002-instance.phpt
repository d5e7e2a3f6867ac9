--TEST--
Wasm\Instance from a path or from bytes; exports are methods; exports(), hasFunction(), module()
--EXTENSIONS--
wasm
--FILE--
<?php
$path = __DIR__ . '/../../examples/sum.wasm';
$instance = new Wasm\Instance($path);
var_dump($instance->sum(5, 37));
var_dump($instance->exports());

$fromBytes = new Wasm\Instance(file_get_contents($path));
var_dump($fromBytes->sum(-5, 3));
var_dump($fromBytes->hasFunction('sum'), $fromBytes->hasFunction('nope'));
var_dump($fromBytes->module() instanceof Wasm\Module, $fromBytes->module()->exports());

$types = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
echo implode(',', array_keys($types->exports())), "\n";
// Each instance has its own state.
$other = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
var_dump($types->bump(), $types->bump(), $other->bump());
?>
--EXPECT--
int(42)
array(1) {
  ["sum"]=>
  string(21) "func(i32, i32) -> i32"
}
int(-2)
bool(true)
bool(false)
bool(true)
array(1) {
  ["sum"]=>
  string(21) "func(i32, i32) -> i32"
}
memory,counter,big,ratio,pi,table,add_i32,add_i64,add_f32,add_f64,id_i32,id_i64,id_f32,id_f64,u32_bits,nothing,swap,three,sum10,is_null,null_ref,get_counter,bump,load8,store8,mem_pages,global,exports,Sum,sum
int(6)
int(7)
int(6)
