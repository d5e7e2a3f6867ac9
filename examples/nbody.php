<?php
/*
 * n-body through the extension (nbody.wasm, from nbody.c) and the same steps in pure PHP
 * (nbody_pure.php): prints the energies, the times and the speed-up.
 *   php -d extension=wasm examples/nbody.php [steps, default 1000000]
 */
require_once __DIR__ . '/nbody_pure.php';

$steps = (int) ($argv[1] ?? 1000000);

$nbody = new Wasm\Instance(__DIR__ . '/nbody.wasm');
$nbody->init();
printf("energy after init: %.9f\n", $nbody->energy());

$start = hrtime(true);
$energy = $nbody->step($steps);
$wasmSeconds = (hrtime(true) - $start) / 1e9;
printf("energy after %d steps: %.9f (wasm, %.3f s)\n", $steps, $energy, $wasmSeconds);

$start = hrtime(true);
$pure = nbody_pure($steps);
$phpSeconds = (hrtime(true) - $start) / 1e9;
printf("energy after %d steps: %.9f (pure PHP, %.3f s)\n", $steps, $pure, $phpSeconds);
printf("speed-up: %.1fx\n", $phpSeconds / max($wasmSeconds, 1e-9));
