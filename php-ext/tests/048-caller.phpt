--TEST--
Wasm\HostFunction::withCaller: a host function reads and writes its caller's memory, reads its globals, calls its exports; the caller is unusable after the call
--EXTENSIONS--
wasm
--FILE--
<?php
$kept = null;
$imports = ['env' => [
    'log' => Wasm\HostFunction::withCaller(function (Wasm\Caller $caller, int $ptr, int $len) use (&$kept): void {
        echo $caller->memory()->read($ptr, $len), "\n";
        $kept = $caller;
    }),
    'visit' => Wasm\HostFunction::withCaller(function (Wasm\Caller $caller, int $n): int {
        $caller->memory()->write(64, "\x2a");
        return $caller->call('double', $n) + $caller->global('counter')->get();
    }),
]];
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/caller.wasm', $imports);
var_dump($i->run(), $i->peek());
var_dump($kept instanceof Wasm\Caller);

// Kept past its call, a caller refuses every use.
foreach (['memory' => [], 'global' => ['counter'], 'call' => ['double', 1]] as $method => $args) {
    try {
        $kept->$method(...$args);
    } catch (Wasm\Exception\WasmException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

// Errors inside: unknown exports, wrong kinds, argument errors name the export.
$imports['env']['visit'] = Wasm\HostFunction::withCaller(function (Wasm\Caller $caller, int $n): int {
    foreach ([fn() => $caller->call('nope'), fn() => $caller->call('counter'), fn() => $caller->global('double'),
              fn() => $caller->call('double', 'x'), fn() => $caller->call('double')] as $f) {
        try {
            $f();
        } catch (Throwable $e) {
            echo get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
    return 0;
});
$imports['env']['log'] = fn(int $ptr, int $len) => null;
var_dump((new Wasm\Instance(__DIR__ . '/../../tests/fixtures/caller.wasm', $imports))->run());

// The start function's imports see the instance being made.
$wat = '(module (import "env" "log" (func $log (param i32 i32))) (memory (export "memory") 1)
    (data (i32.const 0) "started") (func $s i32.const 0 i32.const 7 call $log) (start $s))';
new Wasm\Instance($wat, ['env' => ['log' => Wasm\HostFunction::withCaller(
    fn (Wasm\Caller $c, int $p, int $n) => print($c->memory()->read($p, $n) . "\n"))]]);

try {
    Wasm\HostFunction::withCaller('no_such_function');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
$imports['env']['log'] = 42;
try {
    new Wasm\Instance(__DIR__ . '/../../tests/fixtures/caller.wasm', $imports);
} catch (Wasm\Exception\LinkError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
Hello, caller
int(47)
int(42)
bool(true)
Wasm\Exception\WasmException: Wasm\Caller::memory(): a caller can only be used while its host function runs
Wasm\Exception\WasmException: Wasm\Caller::global(): a caller can only be used while its host function runs
Wasm\Exception\WasmException: Wasm\Caller::call(): a caller can only be used while its host function runs
Wasm\Exception\WasmException: the calling instance has no export named `nope`
Wasm\Exception\WasmException: the export `counter` is a global, not a function
Wasm\Exception\WasmException: the export `double` is a function, not a global
TypeError: double(): argument #1 must be of type i32, string given
ArgumentCountError: double(): expects exactly 1 argument, 0 given
int(0)
started
Wasm\HostFunction::withCaller(): Argument #1 ($callable) must be a valid callback, string given
link error: import `env`.`log`: expected a callable or a Wasm\HostFunction for the function func(i32, i32), int given
