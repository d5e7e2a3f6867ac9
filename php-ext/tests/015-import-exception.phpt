--TEST--
An exception thrown in an import stops the wasm call at once and comes out of the export call as the same object
--EXTENSIONS--
wasm
--FILE--
<?php
$logged = [];
$thrown = new DomainException('stop at 2', 7);
$imports = ['env' => [
    'add' => 'max', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
    'log' => function (int $n) use (&$logged, $thrown) {
        $logged[] = $n;
        if ($n === 2) {
            throw $thrown;
        }
    },
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
try {
    $i->log_upto(1000);
    echo "not reached\n";
} catch (DomainException $e) {
    var_dump($e === $thrown, $e->getMessage(), $e->getCode(), $logged);
} finally {
    echo "finally\n";
}
// The instance still works, and throws again.
$logged = [];
var_dump($i->log_upto(2), $logged);
try {
    $i->log_upto(3);
} catch (Exception $e) {
    var_dump($e === $thrown);
}
// Errors (not exceptions) too, with their trace through the export call.
$imports['env']['add'] = function ($a, $b) { return intdiv($a, $b); };
$j = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
try {
    $j->add(1, 0);
} catch (DivisionByZeroError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
    echo implode(' <- ', array_map(fn($f) => ($f['class'] ?? '') . ($f['type'] ?? '') . $f['function'], $e->getTrace())), "\n";
}
var_dump($j->add(10, 3));
// An exception thrown while an exception from a nested export call is handled.
$imports['env']['log'] = function ($n) use (&$k) {
    try {
        $k->add(1, 0);
    } catch (DivisionByZeroError $e) {
        throw new LogicException('wrapped', 0, $e);
    }
};
$k = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
try {
    $k->log_upto(5);
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), ' <- ', get_class($e->getPrevious()), "\n";
}
?>
--EXPECT--
bool(true)
string(9) "stop at 2"
int(7)
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(1)
  [2]=>
  int(2)
}
finally
int(2)
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(1)
}
bool(true)
DivisionByZeroError: Division by zero
intdiv <- {closure} <- Wasm\Instance->add
int(3)
LogicException: wrapped <- DivisionByZeroError
