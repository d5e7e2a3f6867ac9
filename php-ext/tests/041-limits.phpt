--TEST--
fuel and memoryLimit: out_of_fuel traps, getFuel/addFuel, memory.grow capped by memoryLimit and by PHP's memory_limit
--EXTENSIONS--
wasm
--INI--
memory_limit=64M
--FILE--
<?php
$wat = <<<'WAT'
(module
  (import "host" "refill" (func $refill))
  (memory (export "memory") 1)
  (func (export "three") (result i32) i32.const 1 i32.const 2 i32.add)
  (func (export "spin") (loop $l br $l))
  (func (export "spin_refilling") (param i32) (result i32) (local $i i32)
    (loop $l
      call $refill
      local.get $i i32.const 1 i32.add local.tee $i
      local.get 0 i32.lt_u br_if $l)
    local.get $i)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
WAT;
$noop = ['host' => ['refill' => fn () => null]];
function attempt(string $what, callable $f): void {
    try {
        $r = $f();
        echo "$what: ", var_export($r, true), "\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', strtok($e->getMessage(), "\n"), "\n";
        if ($e instanceof Wasm\Exception\Trap) {
            echo "  code: ", $e->getTrapCode(), "\n";
        }
    }
}

$i = new Wasm\Instance($wat, $noop, fuel: 100000);
attempt('fuel', fn () => $i->getFuel());
attempt('three', fn () => $i->three());
attempt('fuel', fn () => $i->getFuel());
attempt('spin', fn () => $i->spin());
attempt('fuel', fn () => $i->getFuel());
attempt('addFuel', fn () => $i->addFuel(10));
attempt('three', fn () => $i->three());
attempt('fuel', fn () => $i->getFuel());

$j = null;
$j = new Wasm\Instance($wat, ['host' => ['refill' => function () use (&$j) { $j->addFuel(20); }]], fuel: 1000);
attempt('refilled', fn () => $j->spin_refilling(5000));

$plain = new Wasm\Instance($wat, $noop);
attempt('no fuel', fn () => $plain->getFuel());
attempt('add without fuel', fn () => $plain->addFuel(1));
attempt('start', fn () => new Wasm\Instance('(module (func $s (loop (br 0))) (start $s))', [], fuel: 10000));

$m = new Wasm\Instance($wat, $noop, memoryLimit: 3 * 65536);
attempt('grow 2', fn () => $m->grow(2));
attempt('grow 1 more', fn () => $m->grow(1));
attempt('host grow', fn () => $m->memory()->grow(1));
attempt('minimum too large', fn () => new Wasm\Instance('(module (memory 4))', [], memoryLimit: 65536));
// PHP's memory_limit (64M here) caps memories too: 1024 pages is 64 MiB.
attempt('grow past memory_limit', fn () => $plain->grow(1024));
attempt('grow to memory_limit', fn () => $plain->grow(1023));
attempt('larger memoryLimit', fn () => (new Wasm\Instance($wat, $noop, memoryLimit: 1 << 40))->grow(1024));
attempt('negative fuel', fn () => new Wasm\Instance($wat, $noop, fuel: -1));
attempt('negative memoryLimit', fn () => new Wasm\Instance($wat, $noop, memoryLimit: -1));
attempt('negative addFuel', fn () => $i->addFuel(-5));
attempt('string fuel', fn () => new Wasm\Instance($wat, $noop, fuel: 'lots'));
?>
--EXPECT--
fuel: 100000
three: 3
fuel: 99997
spin: Wasm\Exception\Trap: wasm trap: all fuel consumed (out_of_fuel) in function `spin`
  code: out_of_fuel
fuel: 0
addFuel: 10
three: 3
fuel: 7
refilled: 5000
no fuel: NULL
add without fuel: Wasm\Exception\WasmException: cannot add fuel: this instance's store runs without fuel (give it fuel when it is made)
start: Wasm\Exception\Trap: wasm trap: all fuel consumed (out_of_fuel) in function `s`
  code: out_of_fuel
grow 2: 1
grow 1 more: -1
host grow: Wasm\Exception\WasmException: cannot grow memory by 1 pages: the memory limit is 196608 bytes and 196608 are taken
minimum too large: Wasm\Exception\WasmException: a memory of 4 pages (262144 bytes) does not fit in the memory limit of 65536 bytes (0 bytes already taken by other memories)
grow past memory_limit: -1
grow to memory_limit: 1
larger memoryLimit: -1
negative fuel: ValueError: Wasm\Instance::__construct(): Argument #5 ($fuel) must be greater than or equal to 0, -1 given
negative memoryLimit: ValueError: Wasm\Instance::__construct(): Argument #6 ($memoryLimit) must be greater than or equal to 0, -1 given
negative addFuel: ValueError: Wasm\Instance::addFuel(): Argument #1 ($units) must be greater than or equal to 0, -5 given
string fuel: TypeError: Invalid value given for argument `fuel`.
