--TEST--
Traps in a loop of 10,000 calls: each is caught, the instance keeps working
--EXTENSIONS--
wasm
--FILE--
<?php
$t = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_traps.wasm');
$traps = 0;
for ($n = 0; $n < 10000; $n++) {
    try {
        $t->div($n, 0);
    } catch (Wasm\Exception\Trap $e) {
        $traps++;
    }
}
var_dump($traps);

// Mixed: maybe_trap(i) traps for i % 100 == 0 only (1000 / (i % 100)).
$sum = 0;
$traps = [];
for ($n = 0; $n < 10000; $n++) {
    try {
        $sum += $t->maybe_trap($n % 100);
    } catch (Wasm\Exception\Trap $e) {
        $traps[$e->getTrapCode()] = ($traps[$e->getTrapCode()] ?? 0) + 1;
    }
}
var_dump($sum, $traps);

// Different traps (a stack overflow now and then), alternating with normal calls.
for ($n = 0; $n < 10000; $n++) {
    try {
        match ($n % 4) {
            0 => $t->oob_load(1 << 20),
            1 => $t->unreachable(),
            2 => $n % 200 == 2 ? $t->recurse(0) : $t->overflow(),
            3 => $t->div(10, 5),
        };
    } catch (Wasm\Exception\Trap $e) {
    }
}
var_dump($t->div(100, 7), $e->getTrapCode());
try {
    $t->recurse(0);
} catch (Wasm\Exception\Trap $e) {
    var_dump($e->getTrapCode());
}
?>
--EXPECT--
int(10000)
int(513200)
array(1) {
  ["integer_divide_by_zero"]=>
  int(100)
}
int(14)
string(16) "integer_overflow"
string(14) "stack_overflow"
