--TEST--
Unbounded recursion is a stack_overflow trap, in wasm and through PHP imports re-entering wasm
--EXTENSIONS--
wasm
--FILE--
<?php
$t = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
try {
    $t->recurse(0);
} catch (Wasm\Exception\Trap $e) {
    echo $e->getTrapCode(), ': ', strtok($e->getMessage(), "\n"), "\n";
}
var_dump($t->div(9, 3));

// depth(n) calls the import reenter(n - 1), which calls depth again from PHP.
$i = null;
$imports = ['env' => [
    'add' => 'max', 'log' => 'abs', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'offset' => 0,
    'reenter' => function (int $n) use (&$i) { return $i->depth($n); },
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
var_dump($i->depth(100));
try {
    $i->depth(PHP_INT_MAX >> 34);
    echo "no trap\n";
} catch (Wasm\Exception\Trap $e) {
    echo get_class($e), ': ', $e->getTrapCode(), "\n";
}
var_dump($i->depth(10));

// Recursion in PHP code alone is not limited by the extension.
function php_depth($n) { return $n == 0 ? 0 : 1 + php_depth($n - 1); }
var_dump(php_depth(50000));
?>
--EXPECT--
stack_overflow: wasm trap: call stack exhausted (stack_overflow) in function `recurse`
int(3)
int(100)
Wasm\Exception\Trap: stack_overflow
int(10)
int(50000)
