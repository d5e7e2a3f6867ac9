<?php
/*
 * Imports: imports.wasm (from imports.c) imports env.add(i32, i32) -> i32 and
 * env.log_number(i32), and exports run(n) = add(n, 100), which it also logs.
 * Any PHP callable can be an import; its signature comes from the module.
 *   php -d extension=wasm examples/imports.php
 */
$instance = new Wasm\Instance(__DIR__ . '/imports.wasm', [
    'env' => [
        'add' => fn(int $a, int $b): int => $a + $b,
        'log_number' => function (int $n): void {
            echo "log_number: $n\n";
        },
    ],
]);
$result = $instance->run(42);
echo "run(42) = $result\n";
