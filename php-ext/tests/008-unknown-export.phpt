--TEST--
Calling an unknown export, or an export that is not a function, is a BadMethodCallException naming it
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
foreach (['nope', 'table', 'counter', 'SUM'] as $name) {
    try {
        // `table` is also a method of Wasm\Instance: the export is reached with call().
        $name === 'table' ? $i->call($name) : $i->$name();
    } catch (BadMethodCallException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    $i->call('missing', 1);
} catch (BadMethodCallException $e) {
    echo $e->getMessage(), "\n";
}
try {
    $i->__call('missing', []);
} catch (BadMethodCallException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
BadMethodCallException: Call to undefined method Wasm\Instance::nope(): the module has no export named `nope`
BadMethodCallException: Call to undefined method Wasm\Instance::table(): the export `table` is a table, not a function
BadMethodCallException: Call to undefined method Wasm\Instance::counter(): the export `counter` is a global, not a function
BadMethodCallException: Call to undefined method Wasm\Instance::SUM(): the module has no export named `SUM`
Call to undefined method Wasm\Instance::missing(): the module has no export named `missing`
Call to undefined method Wasm\Instance::missing(): the module has no export named `missing`
