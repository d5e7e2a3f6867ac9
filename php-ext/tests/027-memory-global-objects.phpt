--TEST--
new Wasm\Memory / new Wasm\GlobalVariable, and memories and globals as imports shared between PHP and instances
--EXTENSIONS--
wasm
--FILE--
<?php
$path = __DIR__ . '/../../tests/fixtures/php_shared_memory.wasm';
$memory = new Wasm\Memory(1, 4);
$base = new Wasm\GlobalVariable('i32', 100, true);
var_dump($memory->pages(), $memory->maximum(), $base->get(), $base->isMutable(), $base->type());

$a = new Wasm\Instance($path, ['env' => ['memory' => $memory, 'base' => $base]]);
$b = new Wasm\Instance($path, ['env' => ['memory' => $memory, 'base' => $base]]);
$memory[105] = 42;
var_dump($a->peek(5), $b->peek(5));
$a->poke(6, 7);
var_dump($memory[106], $b->peek(6));
$b->set_base(0);
var_dump($base->get(), $a->peek(105));
var_dump($memory->grow(1), $memory->pages());

// An instance's own memory and global can be imported by another instance.
$types = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$c = new Wasm\Instance($path, ['env' => ['memory' => $types->memory(), 'base' => $types->global('counter')]]);
var_dump($c->peek(11), $c->peek(12));  // "Hello" is at 16, counter is 5

// Constant globals from plain values.
$d = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', ['env' => [
    'add' => 'max', 'log' => 'abs', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
    'pair' => fn() => [1, 2], 'reenter' => 'abs', 'offset' => new Wasm\GlobalVariable('i32', 7),
]]);
var_dump($d->add_offset(1));

// A global made with `new` and imported alone: the instance and PHP share it.
$alone = new Wasm\GlobalVariable('i32', 5, true);
$e = new Wasm\Instance($path, ['env' => ['memory' => new Wasm\Memory(1), 'base' => $alone]]);
$e->set_base(9);
var_dump($alone->get());

// Each memory made with `new` has its own store, freed with it: many of them in a row
// (each reserves gigabytes of address space) do not run out of anything.
for ($n = 0; $n < 30000; $n++) {
    $m = new Wasm\Memory(1);
    $m[0] = 1;
}
var_dump($m[0]);

$attempts = [
    'mixing instances' => fn() => new Wasm\Instance($path, ['env' => ['memory' => $types->memory(), 'base' => $base]]),
    'immutable for mutable' => fn() => new Wasm\Instance($path, ['env' => ['memory' => $memory, 'base' => new Wasm\GlobalVariable('i32', 1)]]),
    'bad type' => fn() => new Wasm\GlobalVariable('i8', 1),
    'bad value' => fn() => new Wasm\GlobalVariable('f64', 'x'),
    'set immutable' => fn() => (new Wasm\GlobalVariable('i64', 1))->set(2),
    'memory too large' => fn() => new Wasm\Memory(70000),
    'maximum below minimum' => fn() => new Wasm\Memory(2, 1),
    'negative' => fn() => new Wasm\Memory(-1),
];
foreach ($attempts as $what => $attempt) {
    try {
        $attempt();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
int(1)
int(4)
int(100)
bool(true)
string(3) "i32"
int(42)
int(42)
int(7)
int(7)
int(0)
int(42)
int(1)
int(2)
int(72)
int(101)
int(8)
int(9)
int(1)
mixing instances: Wasm\Exception\LinkError: link error: import `env`.`base`: it belongs to another instance than the import `env`.`memory`: the memories, globals and tables an instance imports must all come from one other instance
immutable for mutable: Wasm\Exception\LinkError: link error: import `env`.`base`: incompatible import type: expected global(mut i32), got global(i32)
bad type: ValueError: Wasm\GlobalVariable::__construct(): Argument #1 ($type) must be one of "i32", "i64", "f32", "f64" or "v128"
bad value: TypeError: Wasm\GlobalVariable::__construct(): argument #2 must be of type f64, string given
set immutable: Wasm\Exception\WasmException: cannot set the global: it is immutable
memory too large: ValueError: Wasm\Memory::__construct(): Argument #1 ($minimum) must be between 0 and 65536 pages
maximum below minimum: ValueError: Wasm\Memory::__construct(): Argument #2 ($maximum) must not be less than the minimum
negative: ValueError: Wasm\Memory::__construct(): Argument #1 ($minimum) must be between 0 and 65536 pages
