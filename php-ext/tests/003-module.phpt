--TEST--
Wasm\Module: fromFile, fromBytes, new, validate, instantiate, exports and imports
--EXTENSIONS--
wasm
--FILE--
<?php
$sum = __DIR__ . '/../../examples/sum.wasm';
$module = Wasm\Module::fromFile($sum);
var_dump($module instanceof Wasm\Module);
$a = $module->instantiate();
$b = $module->instantiate([]);
var_dump($a->sum(1, 2), $b->sum(3, 4), $a !== $b);
var_dump(Wasm\Module::fromBytes(file_get_contents($sum))->instantiate()->sum(20, 22));
var_dump((new Wasm\Module($sum))->exports());
var_dump(Wasm\Module::validate(file_get_contents($sum)));
var_dump(Wasm\Module::validate(''));
var_dump(Wasm\Module::validate("\0asm\x01\0\0\0\x01"));
var_dump(Wasm\Module::validate('not wasm'));

$types = Wasm\Module::fromFile(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$exports = $types->exports();
foreach (['memory', 'counter', 'pi', 'table', 'nothing', 'swap', 'three', 'is_null', 'u32_bits'] as $name) {
    echo "$name: {$exports[$name]}\n";
}
var_dump($types->imports());

$imports = Wasm\Module::fromFile(__DIR__ . '/../../examples/imports.wasm');
print_r($imports->imports());
print_r($imports->exports());
?>
--EXPECT--
bool(true)
int(3)
int(7)
bool(true)
int(42)
array(1) {
  ["sum"]=>
  string(21) "func(i32, i32) -> i32"
}
bool(true)
bool(false)
bool(false)
bool(false)
memory: memory(1, 3)
counter: global(mut i32)
pi: global(f64)
table: table(2, funcref)
nothing: func()
swap: func(i32, i64) -> (i64, i32)
three: func() -> (i32, f64, i64)
is_null: func(externref) -> i32
u32_bits: func(i32) -> i64
array(0) {
}
Array
(
    [0] => Array
        (
            [module] => env
            [name] => add
            [type] => func(i32, i32) -> i32
            [kind] => function
        )

    [1] => Array
        (
            [module] => env
            [name] => log_number
            [type] => func(i32)
            [kind] => function
        )

)
Array
(
    [memory] => memory(2)
    [run] => func(i32) -> i32
)
