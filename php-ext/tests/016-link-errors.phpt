--TEST--
Missing or unusable imports are LinkErrors naming the module and the field
--EXTENSIONS--
wasm
--FILE--
<?php
$path = __DIR__ . '/../../tests/fixtures/php_imports.wasm';
$full = [
    'add' => 'max', 'log' => 'abs', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
];
$cases = [
    'no imports' => null,
    'empty array' => [],
    'no env' => ['other' => $full],
    'env not an array' => ['env' => 'nope'],
    'missing field' => ['env' => array_diff_key($full, ['half' => 1])],
    'not callable' => ['env' => ['add' => 'no_such_function'] + $full],
    'not callable int' => ['env' => ['add' => 42] + $full],
    'global of the wrong type' => ['env' => ['offset' => 1.5] + $full],
    'global out of range' => ['env' => ['offset' => 1 << 40] + $full],
    'memory for a global' => ['env' => ['offset' => new Wasm\Memory(1)] + $full],
];
foreach ($cases as $what => $imports) {
    try {
        $imports === null ? new Wasm\Instance($path) : new Wasm\Instance($path, $imports);
        echo "$what: no error\n";
    } catch (Wasm\Exception\LinkError $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// The same from Module::instantiate().
try {
    Wasm\Module::fromFile(__DIR__ . '/../../examples/imports.wasm')->instantiate(['env' => ['add' => 'max']]);
} catch (Wasm\Exception\LinkError $e) {
    echo $e->getMessage(), "\n";
}
// Memory imports need a Wasm\Memory.
try {
    new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_shared_memory.wasm', ['env' => ['memory' => 'x', 'base' => 0]]);
} catch (Wasm\Exception\LinkError $e) {
    echo $e->getMessage(), "\n";
}
var_dump(is_subclass_of($e, 'Wasm\Exception\WasmException'));
?>
--EXPECT--
no imports: Wasm\Exception\LinkError: link error: import `env`.`add`: missing function func(i32, i32) -> i32: the imports have no `env` entry
empty array: Wasm\Exception\LinkError: link error: import `env`.`add`: missing function func(i32, i32) -> i32: the imports have no `env` entry
no env: Wasm\Exception\LinkError: link error: import `env`.`add`: missing function func(i32, i32) -> i32: the imports have no `env` entry
env not an array: Wasm\Exception\LinkError: link error: import `env`.`add`: the imports entry `env` must be an array, string given
missing field: Wasm\Exception\LinkError: link error: import `env`.`half`: missing function func(f64) -> f64: the `env` imports have no `half` entry
not callable: Wasm\Exception\LinkError: link error: import `env`.`add`: expected a callable or a Wasm\HostFunction for the function func(i32, i32) -> i32, string given
not callable int: Wasm\Exception\LinkError: link error: import `env`.`add`: expected a callable or a Wasm\HostFunction for the function func(i32, i32) -> i32, int given
global of the wrong type: Wasm\Exception\LinkError: link error: import `env`.`offset`: expected a Wasm\GlobalVariable or a number: the value must be of type i32, float given
global out of range: Wasm\Exception\LinkError: link error: import `env`.`offset`: expected a Wasm\GlobalVariable or a number: the value must be between -2147483648 and 4294967295 to fit in i32, 1099511627776 given
memory for a global: Wasm\Exception\LinkError: link error: import `env`.`offset`: expected a Wasm\GlobalVariable or a number: the value must be of type i32, Wasm\Memory given
link error: import `env`.`log_number`: missing function func(i32): the `env` imports have no `log_number` entry
link error: import `env`.`memory`: expected a Wasm\Memory for the memory memory(1), string given
bool(true)
