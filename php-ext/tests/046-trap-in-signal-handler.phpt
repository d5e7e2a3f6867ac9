--TEST--
A trap in wasm called from a pcntl signal handler (which runs with signals blocked), async or dispatched, is a Trap exception, not a killed process
--EXTENSIONS--
wasm
pcntl
posix
--FILE--
<?php
pcntl_async_signals(true);
$i = new Wasm\Instance('(module
  (memory 1)
  (func (export "crash") unreachable)
  (func (export "oob") (result i32) i32.const 100000 i32.load)
  (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_s)
  (func $r (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $r)
  (func (export "spin") (loop (br 0))))');

$seen = [];
pcntl_signal(SIGUSR1, function () use ($i, &$seen) {
    foreach (['crash' => [], 'oob' => [], 'div' => [0], 'recurse' => [0]] as $export => $args) {
        try {
            $i->$export(...$args);
            $seen[] = "$export returned";
        } catch (Wasm\Exception\Trap $e) {
            $seen[] = "$export: " . $e->getTrapCode();
        }
    }
});
posix_kill(posix_getpid(), SIGUSR1);
echo implode("\n", $seen), "\n";

// The same from a handler that runs while wasm spins (at a safepoint).
$seen = [];
pcntl_signal(SIGALRM, function () use ($i, &$seen) {
    try {
        $i->crash();
    } catch (Wasm\Exception\Trap $e) {
        $seen[] = "nested crash: " . $e->getTrapCode();
    }
    $i->interrupt();
});
pcntl_alarm(1);
try {
    $i->spin();
} catch (Wasm\Exception\Trap $e) {
    $seen[] = "spin: " . $e->getTrapCode();
}
echo implode("\n", $seen), "\n";
// A handler run by an explicit pcntl_signal_dispatch().
pcntl_async_signals(false);
$dispatched = false;
pcntl_signal(SIGUSR2, function () use ($i, &$dispatched) {
    $dispatched = true;
    try {
        $i->oob();
    } catch (Wasm\Exception\Trap $e) {
        echo "dispatched: ", $e->getTrapCode(), "\n";
    }
});
posix_kill(posix_getpid(), SIGUSR2);
// Under valgrind the signal arrives a little after kill() returns.
for ($n = 0; !$dispatched && $n < 5000; $n++) {
    pcntl_signal_dispatch();
    $dispatched || usleep(1000);
}

try {
    $i->crash();
} catch (Wasm\Exception\Trap $e) {
    echo "after the handlers: ", $e->getTrapCode(), "\n";
}
?>
--EXPECT--
crash: unreachable
oob: memory_out_of_bounds
div: integer_divide_by_zero
recurse: stack_overflow
nested crash: unreachable
spin: interrupt
dispatched: memory_out_of_bounds
after the handlers: unreachable
