--TEST--
Recursion in wasm called from a fiber ends in a stack_overflow trap, on a small fiber stack and on one mostly used already
--INI--
fiber.stack_size=256K
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance('(module (func $r (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $r))');

function recurse_in_wasm(Wasm\Instance $i): string {
    try {
        $i->recurse(0);
        return "returned";
    } catch (Wasm\Exception\Trap $e) {
        return $e->getTrapCode();
    }
}

$fiber = new Fiber(fn () => recurse_in_wasm($i));
$fiber->start();
echo "small fiber stack: ", $fiber->getReturn(), "\n";

// Nested callbacks first (each a C-level call): part of the fiber's stack is used when
// wasm starts.
function deep(int $n, Wasm\Instance $i): string {
    return $n === 0 ? recurse_in_wasm($i) : array_map(fn () => deep($n - 1, $i), [0])[0];
}
$fiber = new Fiber(fn () => deep(40, $i));
$fiber->start();
echo "after nested callbacks: ", $fiber->getReturn(), "\n";

// Suspended inside an import's caller and resumed: still the fiber's own stack.
$fiber = new Fiber(function () use ($i) {
    Fiber::suspend();
    return recurse_in_wasm($i);
});
$fiber->start();
$fiber->resume();
echo "after a suspension: ", $fiber->getReturn(), "\n";
echo "outside fibers: ", recurse_in_wasm($i), "\n";
?>
--EXPECT--
small fiber stack: stack_overflow
after nested callbacks: stack_overflow
after a suspension: stack_overflow
outside fibers: stack_overflow
