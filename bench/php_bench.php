<?php
/*
 * Benchmark of the PHP extension `wasm`, in one run:
 *  1. n-body: STEPS steps through the extension (examples/nbody.wasm) vs the same steps in
 *     pure PHP (examples/nbody_pure.php). Target: the extension at least 25x faster.
 *  2. The cost of one export call, $instance->sum($i, 1), vs a call of the same PHP userland
 *     function. Target: at most 3x.
 *  3. Instantiating a module with 3,000 exports vs sum.wasm: the cost per export. Target:
 *     at most 50 ns (the engine's own work per function; the extension's waits for first use).
 * Each figure is the best of several rounds (the machine may be busy).
 *
 *   make -C php-ext bench
 *   php -d extension=target/release/libwasm.so bench/php_bench.php [steps] [calls]
 */

if (!extension_loaded('wasm')) {
    fwrite(STDERR, "the wasm extension is not loaded (php -d extension=.../libwasm.so)\n");
    exit(1);
}
require_once __DIR__ . '/../examples/nbody_pure.php';

$steps = (int) ($argv[1] ?? 1000000);
$calls = (int) ($argv[2] ?? 3000000);

function best(int $rounds, callable $run): float
{
    $best = INF;
    for ($r = 0; $r < $rounds; $r++) {
        $start = hrtime(true);
        $run();
        $best = min($best, (hrtime(true) - $start) / 1e9);
    }
    return $best;
}

printf("PHP %s, wasm extension %s, opcache.jit %s\n", PHP_VERSION, phpversion('wasm'),
    (function_exists('opcache_get_status') && (opcache_get_status(false)['jit']['on'] ?? false)) ? 'on' : 'off');

// 1. n-body.
$nbody = new Wasm\Instance(__DIR__ . '/../examples/nbody.wasm');
$wasmEnergy = $pureEnergy = 0.0;
$wasm = best(5, function () use ($nbody, $steps, &$wasmEnergy) {
    $nbody->init();
    $wasmEnergy = $nbody->step($steps);
});
$pure = best(2, function () use ($steps, &$pureEnergy) {
    $pureEnergy = nbody_pure($steps);
});
$speedup = $pure / $wasm;
printf("\nn-body, %d steps\n", $steps);
printf("  extension: %8.3f s   energy %.9f\n", $wasm, $wasmEnergy);
printf("  pure PHP:  %8.3f s   energy %.9f\n", $pure, $pureEnergy);
printf("  speed-up:  %8.1fx   (target >= 25x: %s)%s\n", $speedup, $speedup >= 25 ? 'met' : 'NOT met',
    $wasmEnergy === $pureEnergy ? '' : '   ENERGIES DIFFER');

// 2. Call cost. The PHP function is typed like the wasm one; an untyped one is shown too.
function sum(int $a, int $b): int
{
    return $a + $b;
}
function sum_untyped($a, $b)
{
    return $a + $b;
}
$instance = new Wasm\Instance(__DIR__ . '/../examples/sum.wasm');
$wasmCall = $phpCall = $untypedCall = $emptyLoop = INF;
for ($round = 0; $round < 5; $round++) {
    // Interleaved, so that both see the same machine.
    $wasmCall = min($wasmCall, best(1, function () use ($instance, $calls) {
        for ($i = 0; $i < $calls; $i++) {
            $instance->sum($i, 1);
        }
    }));
    $phpCall = min($phpCall, best(1, function () use ($calls) {
        for ($i = 0; $i < $calls; $i++) {
            sum($i, 1);
        }
    }));
    $untypedCall = min($untypedCall, best(1, function () use ($calls) {
        for ($i = 0; $i < $calls; $i++) {
            sum_untyped($i, 1);
        }
    }));
    $emptyLoop = min($emptyLoop, best(1, function () use ($calls) {
        for ($i = 0; $i < $calls; $i++) {
        }
    }));
}
$ns = fn(float $seconds) => $seconds / $calls * 1e9;
$ratio = $wasmCall / $phpCall;
$netRatio = ($wasmCall - $emptyLoop) / max($phpCall - $emptyLoop, 1e-12);
printf("\ncall cost, %d calls in a loop\n", $calls);
printf("  \$instance->sum(\$i, 1): %6.1f ns per call\n", $ns($wasmCall));
printf("  sum(\$i, 1) in PHP:     %6.1f ns per call (int \$a, int \$b): int\n", $ns($phpCall));
printf("  untyped sum(\$i, 1):    %6.1f ns per call\n", $ns($untypedCall));
printf("  empty loop:            %6.1f ns per iteration\n", $ns($emptyLoop));
printf("  ratio:                 %6.2fx   (target <= 3x: %s)\n", $ratio, $ratio <= 3 ? 'met' : 'NOT met');
printf("  ratio without the loop: %5.2fx\n", $netRatio);
printf("  ratio to the untyped function: %.2fx\n", $wasmCall / $untypedCall);

// 3. Instantiation cost against the number of exports: a module with 3,000 exported
// functions against sum.wasm.
$manyWat = '(module (memory (export "memory") 1)';
for ($i = 0; $i < 3000; $i++) {
    $manyWat .= " (func (export \"f$i\") (result i32) i32.const $i)";
}
$many = new Wasm\Module($manyWat . ')');
$one = new Wasm\Module(__DIR__ . '/../examples/sum.wasm');
$instantiate = fn(Wasm\Module $m, int $k) => best(5, function () use ($m, $k) {
    for ($i = 0; $i < $k; $i++) {
        $m->instantiate();
    }
}) / $k;
$manyCost = $instantiate($many, 200);
$oneCost = $instantiate($one, 2000);
$perExport = ($manyCost - $oneCost) / 3000;
printf("\ninstantiation\n");
printf("  3,000 exports:  %8.1f us\n", $manyCost * 1e6);
printf("  sum.wasm:       %8.1f us\n", $oneCost * 1e6);
printf("  per export:     %8.1f ns   (target <= 50 ns: %s)\n", $perExport * 1e9, $perExport <= 50e-9 ? 'met' : 'NOT met');
