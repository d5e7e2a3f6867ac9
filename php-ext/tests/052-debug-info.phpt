--TEST--
var_dump and print_r show what an object is: an instance's exports, a module's imports and exports, a memory's size, a global's type and value
--EXTENSIONS--
wasm
--FILE--
<?php
class Plugin extends Wasm\Instance
{
    public string $label = 'mine';
}
var_dump(new Wasm\Instance(__DIR__ . '/../../examples/sum.wasm'));
var_dump(new Plugin(__DIR__ . '/../../examples/sum.wasm'));
var_dump(new Wasm\Module('(module (import "env" "f" (func (param i32))) (memory (export "mem") 1 2))'));
$memory = new Wasm\Memory(2, 5);
print_r($memory);
echo "\n";
$global = new Wasm\GlobalVariable('f64', 1.5, true);
var_dump($global);
$global->set(2.5);
print_r($global);
echo "\n";
// Objects made without their constructor show nothing, and do not crash.
var_dump((new ReflectionClass(Wasm\Memory::class))->newInstanceWithoutConstructor());
?>
--EXPECTF--
object(Wasm\Instance)#%d (1) {
  ["exports"]=>
  array(1) {
    ["sum"]=>
    string(21) "func(i32, i32) -> i32"
  }
}
object(Plugin)#%d (2) {
  ["label"]=>
  string(4) "mine"
  ["exports"]=>
  array(1) {
    ["sum"]=>
    string(21) "func(i32, i32) -> i32"
  }
}
object(Wasm\Module)#%d (2) {
  ["imports"]=>
  array(1) {
    [0]=>
    array(4) {
      ["module"]=>
      string(3) "env"
      ["name"]=>
      string(1) "f"
      ["type"]=>
      string(9) "func(i32)"
      ["kind"]=>
      string(8) "function"
    }
  }
  ["exports"]=>
  array(1) {
    ["mem"]=>
    string(12) "memory(1, 2)"
  }
}
Wasm\Memory Object
(
    [pages] => 2
    [size] => 131072
    [maximum] => 5
)

object(Wasm\GlobalVariable)#%d (3) {
  ["type"]=>
  string(3) "f64"
  ["mutable"]=>
  bool(true)
  ["value"]=>
  float(1.5)
}
Wasm\GlobalVariable Object
(
    [type] => f64
    [mutable] => 1
    [value] => 2.5
)

object(Wasm\Memory)#%d (0) {
}
