<?php
// A WASI program compiled from C (wordcount.c, like `wc`) run from PHP: the directory
// examples/data is preopened as /data, the program's output is captured.
$wasm = __DIR__ . '/wordcount.wasm';

$wasi = new Wasm\Wasi(
    args: ['wordcount', '/data/poem.txt'],
    preopens: ['/data' => ['path' => __DIR__ . '/data', 'readonly' => true]],
);
$status = $wasi->run($wasm);
echo "wordcount /data/poem.txt → exit status $status\n", $wasi->stdout();

// Standard input instead of a file.
$wasi = new Wasm\Wasi(args: ['wordcount'], stdin: "one two three\nfour\n");
$wasi->run($wasm);
echo "wordcount < (2 lines) → ", $wasi->stdout();

// Outside its preopens the program sees nothing: /etc/passwd does not exist for it.
$wasi = new Wasm\Wasi(args: ['wordcount', '/etc/passwd'], preopens: ['/data' => __DIR__ . '/data']);
$status = $wasi->run($wasm);
echo "wordcount /etc/passwd → exit status $status: ", $wasi->stderr();
