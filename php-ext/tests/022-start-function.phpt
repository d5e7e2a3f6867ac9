--TEST--
The start function runs during instantiation and may call imports; an exception it throws comes out of the constructor
--EXTENSIONS--
wasm
--FILE--
<?php
$path = __DIR__ . '/../../tests/fixtures/php_start.wasm';
$i = new Wasm\Instance($path, ['env' => ['started' => function (int $v) { echo "started with $v\n"; }]]);
var_dump($i->ok());
$thrown = new UnexpectedValueException('refused');
try {
    new Wasm\Instance($path, ['env' => ['started' => function () use ($thrown) { throw $thrown; }]]);
} catch (UnexpectedValueException $e) {
    var_dump($e === $thrown);
}
try {
    Wasm\Module::fromFile($path)->instantiate(['env' => ['started' => fn() => 'wrong']]);
    echo "return value ignored\n";
} catch (Throwable $e) {
    echo get_class($e), "\n";
}
?>
--EXPECT--
started with 42
int(1)
bool(true)
return value ignored
