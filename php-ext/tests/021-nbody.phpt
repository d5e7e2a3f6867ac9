--TEST--
n-body: the energy after init and after 1000 steps, from wasm and from the pure-PHP version
--EXTENSIONS--
wasm
--FILE--
<?php
require __DIR__ . '/../../examples/nbody_pure.php';
$nbody = new Wasm\Instance(__DIR__ . '/../../examples/nbody.wasm');
$nbody->init();
printf("%.9f\n", $nbody->energy());
printf("%.9f\n", $nbody->step(1000));
printf("%.9f\n", $nbody->energy());
printf("%.9f\n", nbody_pure(1000));
// Same bits as the pure-PHP version (same operations in the same order).
$nbody->init();
var_dump($nbody->step(1000) === nbody_pure(1000));
var_dump($nbody->memory()->size() > 0);
?>
--EXPECT--
-0.169075164
-0.169087605
-0.169087605
-0.169087605
bool(true)
bool(true)
