--TEST--
The examples run: simple.php, imports.php, memory.php, wordcount.php (WASI) and nbody.php
--EXTENSIONS--
wasm
--FILE--
<?php
foreach (['simple', 'imports', 'memory', 'wordcount'] as $example) {
    echo "== $example\n";
    include __DIR__ . "/../../examples/$example.php";
}
echo "== nbody\n";
$argv = ['nbody.php', '1000'];
ob_start();
include __DIR__ . '/../../examples/nbody.php';
$out = ob_get_clean();
echo preg_match('/energy after 1000 steps: -0\.169087605/', $out) ? "nbody ok\n" : $out;
?>
--EXPECT--
== simple
sum(5, 37) = 42
== imports
log_number: 142
run(42) = 142
== memory
greet() = 0x400: "Hello, World!" (13 bytes, string_length says 13)
== wordcount
wordcount /data/poem.txt → exit status 0
      4      25     132 /data/poem.txt
wordcount < (2 lines) →       2       4      19
wordcount /etc/passwd → exit status 1: wordcount: /etc/passwd: Capabilities insufficient
== nbody
nbody ok
