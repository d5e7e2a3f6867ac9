--TEST--
The extension is loaded and declares its classes and exception hierarchy
--EXTENSIONS--
wasm
--FILE--
<?php
var_dump(extension_loaded('wasm'));
$classes = (new ReflectionExtension('wasm'))->getClassNames();
sort($classes);
print_r($classes);
foreach (['CompileError', 'Exit', 'LinkError', 'Trap'] as $c) {
    $class = "Wasm\\Exception\\$c";
    echo $class, ' extends ', get_parent_class($class), "\n";
}
echo 'Wasm\Exception\WasmException extends ', get_parent_class('Wasm\Exception\WasmException'), "\n";
var_dump(is_subclass_of('Wasm\Memory', 'ArrayAccess'), is_subclass_of('Wasm\Memory', 'Countable'));
?>
--EXPECT--
bool(true)
Array
(
    [0] => Wasm\Caller
    [1] => Wasm\Exception\CompileError
    [2] => Wasm\Exception\Exit
    [3] => Wasm\Exception\LinkError
    [4] => Wasm\Exception\Trap
    [5] => Wasm\Exception\WasmException
    [6] => Wasm\Func
    [7] => Wasm\GlobalVariable
    [8] => Wasm\HostFunction
    [9] => Wasm\Instance
    [10] => Wasm\Memory
    [11] => Wasm\Module
    [12] => Wasm\Table
    [13] => Wasm\Wasi
)
Wasm\Exception\CompileError extends Wasm\Exception\WasmException
Wasm\Exception\Exit extends Wasm\Exception\WasmException
Wasm\Exception\LinkError extends Wasm\Exception\WasmException
Wasm\Exception\Trap extends Wasm\Exception\WasmException
Wasm\Exception\WasmException extends RuntimeException
bool(true)
bool(true)
