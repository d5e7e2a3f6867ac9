--TEST--
interrupt(): an import can stop the export call that called it with an `interrupt` trap
--EXTENSIONS--
wasm
--FILE--
<?php
$logged = [];
$i = null;
$imports = ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) use (&$logged, &$i) {
        $logged[] = $n;
        if ($n === 5) {
            $i->interrupt();
        }
    },
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
try {
    $i->log_upto(1000);
} catch (Wasm\Exception\Trap $e) {
    echo $e->getTrapCode(), ': ', strtok($e->getMessage(), "\n"), "\n";
}
echo implode(',', $logged), "\n";
// The flag is cleared by the trap: the instance works again.
$logged = [];
var_dump($i->log_upto(3), count($logged));
?>
--EXPECTF--
interrupt: wasm trap: interrupted (interrupt) in function `%s`
0,1,2,3,4,5
int(3)
int(3)
