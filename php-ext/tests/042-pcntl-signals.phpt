--TEST--
pcntl signal handlers (async, pcntl_alarm) run while wasm spins: one interrupts the instance, one throws, one exits
--EXTENSIONS--
wasm
pcntl
--FILE--
<?php
pcntl_async_signals(true);
$i = new Wasm\Instance('(module (func (export "spin") (loop (br 0))) (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');

$ran = 0;
pcntl_signal(SIGALRM, function () use ($i, &$ran) { $ran++; $i->interrupt(); });
pcntl_alarm(1);
$start = microtime(true);
try {
    $i->spin();
    echo "spin returned\n";
} catch (Wasm\Exception\Trap $e) {
    printf("handler ran %d time(s), trap code %s, %s\n", $ran, $e->getTrapCode(), microtime(true) - $start < 5 ? 'in time' : 'late');
}
echo "still usable: ", $i->add(2, 3), "\n";

pcntl_signal(SIGALRM, function () { throw new RuntimeException("from the handler"); });
pcntl_alarm(1);
try {
    $i->spin();
} catch (Throwable $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}

pcntl_signal(SIGALRM, function () { echo "exiting from the handler\n"; exit(3); });
register_shutdown_function(function () { echo "shutdown ran\n"; });
pcntl_alarm(1);
$i->spin();
echo "not reached\n";
?>
--EXPECT--
handler ran 1 time(s), trap code interrupt, in time
still usable: 5
RuntimeException: from the handler
exiting from the handler
shutdown ran
