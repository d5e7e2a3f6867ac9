--TEST--
Missing files, empty files and invalid bytes: WasmException or CompileError with a message naming the path or the problem (WebAssembly text is accepted)
--EXTENSIONS--
wasm
--FILE--
<?php
$dir = sys_get_temp_dir() . '/wasm-ext-test-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/empty.wasm", '');
file_put_contents("$dir/text.wasm", "(module)\n");
file_put_contents("$dir/prose.wasm", "Dear reader,\n");
file_put_contents("$dir/truncated.wasm", substr(file_get_contents(__DIR__ . '/../../examples/sum.wasm'), 0, 20));
$cases = [
    'missing file' => fn() => new Wasm\Instance("$dir/missing.wasm"),
    'empty file' => fn() => new Wasm\Instance("$dir/empty.wasm"),
    'WebAssembly text file' => fn() => new Wasm\Instance("$dir/text.wasm"),
    'prose file' => fn() => new Wasm\Instance("$dir/prose.wasm"),
    'truncated file' => fn() => new Wasm\Instance("$dir/truncated.wasm"),
    'directory' => fn() => new Wasm\Instance($dir),
    'empty string' => fn() => new Wasm\Instance(''),
    'invalid bytes' => fn() => new Wasm\Instance("\0asm\x01\0\0\0\x05\x03"),
    'wrong version' => fn() => new Wasm\Instance("\0asm\x02\0\0\0"),
    'binary garbage' => fn() => new Wasm\Instance("\x7fELF\x02\x01\x01\0"),
    'fromFile missing' => fn() => Wasm\Module::fromFile("$dir/missing.wasm"),
    'fromFile empty' => fn() => Wasm\Module::fromFile("$dir/empty.wasm"),
    'fromBytes empty' => fn() => Wasm\Module::fromBytes(''),
    'fromBytes garbage' => fn() => Wasm\Module::fromBytes('garbage'),
    'new Module text' => fn() => new Wasm\Module("$dir/text.wasm"),
];
foreach ($cases as $what => $attempt) {
    try {
        $attempt();
        echo "$what: no error\n";
    } catch (Wasm\Exception\WasmException $e) {
        echo "$what: ", get_class($e), ': ', str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
missing file: Wasm\Exception\WasmException: cannot read the WebAssembly file `DIR/missing.wasm`: No such file or directory (os error 2)
empty file: Wasm\Exception\CompileError: DIR/empty.wasm: compile error: empty module: no bytes
WebAssembly text file: no error
prose file: Wasm\Exception\CompileError: DIR/prose.wasm: compile error: not a WebAssembly module: neither the \0asm header of a binary module nor WebAssembly text
truncated file: Wasm\Exception\CompileError: DIR/truncated.wasm: compile error: unexpected end-of-file (at offset 0x13)
directory: Wasm\Exception\WasmException: cannot read the WebAssembly file `DIR`: Is a directory (os error 21)
empty string: Wasm\Exception\CompileError: empty module: no bytes (an empty string is neither a path nor a module)
invalid bytes: Wasm\Exception\CompileError: compile error: unexpected end-of-file (at offset 0xa)
wrong version: Wasm\Exception\CompileError: compile error: unknown binary version:        0x2 (at offset 0x4)
binary garbage: Wasm\Exception\CompileError: not a WebAssembly module: 8 bytes without the \0asm header, and not a file path
fromFile missing: Wasm\Exception\WasmException: cannot read the WebAssembly file `DIR/missing.wasm`: No such file or directory (os error 2)
fromFile empty: Wasm\Exception\CompileError: DIR/empty.wasm: compile error: empty module: no bytes
fromBytes empty: Wasm\Exception\CompileError: compile error: empty module: no bytes
fromBytes garbage: Wasm\Exception\CompileError: compile error: not a WebAssembly module: neither the \0asm header of a binary module nor WebAssembly text
new Module text: no error
