--TEST--
A value of the wrong type returned by an import is a TypeError (ValueError out of range) thrown by the export call
--EXTENSIONS--
wasm
--FILE--
<?php
$base = [
    'add' => 'max', 'log' => 'abs', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => 0,
];
$cases = [
    ['add', fn($a, $b) => 'three', fn($i) => $i->add(1, 2)],
    ['add', fn($a, $b) => null, fn($i) => $i->add(1, 2)],
    ['add', fn($a, $b) => 1.5, fn($i) => $i->add(1, 2)],
    ['add', fn($a, $b) => 1 << 33, fn($i) => $i->add(1, 2)],
    ['wide', fn($x) => 2.0, fn($i) => $i->wide(1)],
    ['half', fn($x) => '2.0', fn($i) => $i->half(1.0)],
    ['half', fn($x) => [], fn($i) => $i->half(1.0)],
    ['pair', fn() => 5, fn($i) => $i->pair_sum()],
    ['pair', fn() => [1], fn($i) => $i->pair_sum()],
    ['pair', fn() => [1, 2, 3], fn($i) => $i->pair_sum()],
    ['pair', fn() => [1, 'x'], fn($i) => $i->pair_sum()],
];
foreach ($cases as [$name, $import, $call]) {
    $i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', ['env' => [$name => $import] + $base]);
    try {
        var_dump($call($i));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
TypeError: env.add(): return value must be of type i32, string returned
TypeError: env.add(): return value must be of type i32, null returned
TypeError: env.add(): return value must be of type i32, float returned
ValueError: env.add(): return value must be between -2147483648 and 4294967295 to fit in i32, 8589934592 returned
TypeError: env.wide(): return value must be of type i64, float returned
TypeError: env.half(): return value must be of type f64, string returned
TypeError: env.half(): return value must be of type f64, array returned
TypeError: env.pair(): return value must be a list of 2 values (i32, i32), int returned
TypeError: env.pair(): return value must be a list of 2 values (i32, i32), a list of 1 value returned
TypeError: env.pair(): return value must be a list of 2 values (i32, i32), a list of 3 values returned
TypeError: env.pair(): return value #2 must be of type i32, string returned
