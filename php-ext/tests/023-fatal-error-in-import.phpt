--TEST--
A fatal error inside an import ends the script as usual, and leaves the engine usable (shutdown functions call wasm)
--EXTENSIONS--
wasm
--FILE--
<?php
$traps = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
register_shutdown_function(function () use ($traps) {
    echo "shutdown: ", $traps->div(10, 2), "\n";
    try {
        $traps->div(1, 0);
    } catch (Wasm\Exception\Trap $e) {
        echo "shutdown trap: ", $e->getTrapCode(), "\n";
    }
    global $i;
    echo "same instance again: ", $i->log_upto(1), "\n";
});
$imports = ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) {
        echo "log $n\n";
        if ($n == 2) {
            trigger_error('fatal inside an import', E_USER_ERROR);
        }
    },
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
$i->log_upto(10);
echo "not reached\n";
?>
--EXPECTF--
log 0
log 1
log 2

Fatal error: fatal inside an import in %s on line %d
shutdown: 5
shutdown trap: integer_divide_by_zero
same instance again: log 0
1
