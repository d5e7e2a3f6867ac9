--TEST--
max_execution_time stops a long compile: PHP's fatal error at the line of the compile, and compiling works again afterwards
--EXTENSIONS--
wasm
--SKIPIF--
<?php if (getenv('SKIP_SLOW_TESTS')) die('skip slow test'); ?>
--INI--
wasm.cache_dir=
--FILE--
<?php
$sqlite = file_get_contents(__DIR__ . '/../../bench/sqlite.wasm');
register_shutdown_function(function () {
    $i = new Wasm\Instance('(module (func (export "f") (result i32) i32.const 42))');
    echo "shutdown: compiled again: ", $i->f(), "\n";
});
set_time_limit(1);
for ($n = 0; ; $n++) {
    // A custom section makes each module new to the cache: each one is compiled.
    $name = "run $n";
    $module = new Wasm\Module($sqlite . "\0" . chr(strlen($name) + 1) . chr(strlen($name)) . $name); // line 11
}
?>
--EXPECTF--
Fatal error: Maximum execution time of 1 second exceeded in %s on line 11
shutdown: compiled again: 42
