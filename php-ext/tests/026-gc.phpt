--TEST--
Instances whose imports refer back to them are collected by the cycle collector; nothing leaks across many instances
--EXTENSIONS--
wasm
--FILE--
<?php
function make(): WeakReference
{
    $i = null;
    $imports = ['env' => [
        'add' => 'max', 'log' => 'abs', 'half' => 'abs', 'wide' => 'abs', 'narrow' => 'abs',
        'pair' => fn() => [1, 2], 'offset' => 0,
        'reenter' => function (int $n) use (&$i) { return $i->depth($n); },
    ]];
    $i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_imports.wasm', $imports);
    $i->depth(3);
    return WeakReference::create($i);
}
$ref = make();
var_dump($ref->get() instanceof Wasm\Instance);
gc_collect_cycles();
var_dump($ref->get());

// Many instances, memories and globals: PHP memory use stays flat.
$module = Wasm\Module::fromFile(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$round = function () use ($module) {
    for ($n = 0; $n < 3000; $n++) {
        $i = $module->instantiate();
        $m = $i->memory();
        $g = $i->global('counter');
        $i->bump();
        make();
    }
    gc_collect_cycles();
};
function rss_kb(): int
{
    return preg_match('/^VmRSS:\s+(\d+)/m', (string) @file_get_contents('/proc/self/status'), $m) ? (int) $m[1] : 0;
}
$round(); // warms up the collector's buffers
$before = memory_get_usage();
$rss = rss_kb();
$round();
var_dump(memory_get_usage() - $before < 64 * 1024);
// Wasm memories, code and stores are freed too (a leak would be >= 64 KiB per instance).
var_dump(rss_kb() - $rss < 16 * 1024);
?>
--EXPECT--
bool(true)
NULL
bool(true)
bool(true)
