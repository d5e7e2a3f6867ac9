--TEST--
exit() inside an import ends the script (finally blocks do not run, as for exit elsewhere); the engine stays usable
--EXTENSIONS--
wasm
--FILE--
<?php
$traps = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
register_shutdown_function(function () use ($traps) {
    echo "shutdown: ", $traps->div(12, 4), "\n";
    global $i;
    echo "same instance again: ", $i->add(2, 2), "\n";
});
$imports = ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) {
        echo "log $n\n";
        if ($n == 1) {
            exit("exit inside an import\n");
        }
    },
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
try {
    $i->log_upto(10);
} catch (Throwable $e) {
    echo "caught ", get_class($e), "\n";
}
echo "not reached\n";
?>
--EXPECT--
log 0
log 1
exit inside an import
shutdown: 3
same instance again: 2
