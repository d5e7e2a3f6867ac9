--TEST--
php --ri wasm (ReflectionExtension::info): version, the engine with its wasm features, the cache settings
--EXTENSIONS--
wasm
--FILE--
<?php
ob_start();
(new ReflectionExtension('wasm'))->info();
$info = ob_get_clean();
foreach (explode("\n", $info) as $line) {
    if (preg_match('/^(version|engine|wasm\.cache_size) =>/', $line)) {
        echo $line, "\n";
    }
}
?>
--EXPECTF--
version => %d.%d.%d
engine => Cranelift JIT, WebAssembly 2.0 with SIMD, WASI preview 1
wasm.cache_size => 256M
