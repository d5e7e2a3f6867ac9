--TEST--
Imports: any PHP callable, arguments and results of every type, several results, global imports
--EXTENSIONS--
wasm
--FILE--
<?php
class Math
{
    public static function double(float $x): float { return $x * 2; }
    public function wide(int $x): int { return $x * 3; }
    public function __invoke(float $x) { return $x + 0.25; }
}
function add_numbers(int $a, int $b): int { return $a + $b; }

$log = [];
$imports = ['env' => [
    'add' => 'add_numbers',
    'log' => function (int $n) use (&$log): void { $log[] = $n; },
    'half' => 'Math::double',
    'wide' => [new Math, 'wide'],
    'narrow' => new Math,
    'pair' => fn(): array => [40, 2],
    'reenter' => 'abs',
    'offset' => 1000,
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
var_dump($i->add(2, 3));
var_dump($i->add(2147483647, 1));
var_dump($i->half(1.25));
var_dump($i->wide(1 << 40));
var_dump($i->narrow(0.5));
var_dump($i->pair_sum());
var_dump($i->log_upto(4), $log);
var_dump($i->add_offset(1));

// The values PHP returns are converted like arguments: ints in range for i32,
// ints for floats; results of imports without results are ignored.
$imports['env']['add'] = fn($a, $b) => 1;
$imports['env']['half'] = fn($x) => 7;
$imports['env']['pair'] = fn() => [4294967295, 0];
$imports['env']['log'] = fn($n) => 'ignored';
$imports['env']['offset'] = 1;
$j = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
var_dump($j->add(0, 0), $j->half(0.0), $j->pair_sum(), $j->log_upto(1), $j->add_offset(1));

// The arguments an import receives.
$imports['env']['add'] = function (...$args) { var_dump($args); return 0; };
$imports['env']['wide'] = function (...$args) { var_dump($args); return 0; };
$imports['env']['half'] = function (...$args) { var_dump($args); return 0; };
$k = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
$k->add(-1, 4294967295);
$k->wide(PHP_INT_MIN);
$k->half(-0.5);
?>
--EXPECT--
int(5)
int(-2147483648)
float(2.5)
int(3298534883328)
float(0.75)
int(42)
int(4)
array(4) {
  [0]=>
  int(0)
  [1]=>
  int(1)
  [2]=>
  int(2)
  [3]=>
  int(3)
}
int(1001)
int(1)
float(7)
int(-1)
int(1)
int(2)
array(2) {
  [0]=>
  int(-1)
  [1]=>
  int(-1)
}
array(1) {
  [0]=>
  int(-9223372036854775808)
}
array(1) {
  [0]=>
  float(-0.5)
}
