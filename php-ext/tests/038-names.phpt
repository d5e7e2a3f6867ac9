--TEST--
Names with NUL bytes and the empty export name: the right exception, binary-safe messages
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
// (Method syntax, $i->{"name\0"}(), is not here: PHP itself cuts a method name at a NUL
// byte before __call sees it, for every class.)
$cases = [
    'call' => fn () => $i->call("add_i32\0x", 1, 2),
    'global' => fn () => $i->global("counter\0"),
];
foreach ($cases as $what => $f) {
    try {
        $f();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', json_encode($e->getMessage()), "\n";
    }
}
// (func (export "") (result i32) i32.const 5)
$empty = new Wasm\Instance("\0asm\x01\0\0\0\x01\x05\x01\x60\0\x01\x7f\x03\x02\x01\0\x07\x04\x01\0\0\0\x0a\x06\x01\x04\0\x41\x05\x0b");
var_dump($empty->call(''), $empty->exports());
?>
--EXPECT--
call: BadMethodCallException: "Call to undefined method Wasm\\Instance::add_i32\u0000x(): the module has no export named `add_i32\u0000x`"
global: Wasm\Exception\WasmException: "the module has no export named `counter\u0000`"
int(5)
array(1) {
  [""]=>
  string(13) "func() -> i32"
}
