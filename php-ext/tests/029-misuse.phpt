--TEST--
Misuse does not crash: uninitialized objects, clone, serialize, constructing twice, calls from inside imports
--EXTENSIONS--
wasm
--FILE--
<?php
class Lazy extends Wasm\Instance
{
    public function __construct() {}
}
$lazy = new Lazy();
foreach (['sum' => fn() => $lazy->sum(1, 2), 'memory' => fn() => $lazy->memory(), 'call' => fn() => $lazy->call('sum')] as $what => $f) {
    try {
        $f();
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), "\n";
    }
}
$memory = (new ReflectionClass('Wasm\Memory'))->newInstanceWithoutConstructor();
try {
    count($memory);
} catch (Throwable $e) {
    echo 'uninitialized memory: ', get_class($e), "\n";
}

$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
foreach (['clone' => fn() => clone $i, 'clone memory' => fn() => clone $i->memory(), 'serialize' => fn() => serialize($i)] as $what => $f) {
    try {
        $f();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump(str_contains(print_r($i, true), '[add_i32] => func(i32, i32) -> i32'));
var_dump($i->memory());

// Constructing again replaces the instance, even from inside one of its own imports.
$i->__construct(__DIR__ . '/../../examples/sum.wasm');
var_dump($i->sum(1, 1), $i->exports());
$imports = ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) use (&$j) { $j->__construct(__DIR__ . '/../../examples/sum.wasm'); },
]];
$j = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
var_dump($j->log_upto(3), $j->sum(2, 2));

// Exceptions of the extension are ordinary exceptions.
$e = new Wasm\Exception\Trap('made in PHP', 3);
var_dump($e->getMessage(), $e->getCode(), $e->getTrapCode());
var_dump(unserialize(serialize(new Wasm\Exception\LinkError('x')))->getMessage());
class MyError extends Wasm\Exception\CompileError {}
var_dump((new MyError('y')) instanceof RuntimeException);
?>
--EXPECTF--
sum: Exception
memory: Exception
call: Exception
uninitialized memory: Exception
clone: Error: Trying to clone an uncloneable object of class Wasm\Instance
clone memory: Error: Trying to clone an uncloneable object of class Wasm\Memory
serialize: Exception: Serialization of 'Wasm\Instance' is not allowed
bool(true)
object(Wasm\Memory)#%d (3) {
  ["pages"]=>
  int(1)
  ["size"]=>
  int(65536)
  ["maximum"]=>
  int(3)
}
int(2)
array(1) {
  ["sum"]=>
  string(21) "func(i32, i32) -> i32"
}
int(3)
int(4)
string(11) "made in PHP"
int(3)
string(0) ""
string(1) "x"
bool(true)
