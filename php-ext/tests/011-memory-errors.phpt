--TEST--
Wasm\Memory errors: OutOfBoundsException outside the memory, ValueError/TypeError for bad values, WasmException past the maximum
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$m = $i->memory();
$attempts = [
    'read past the end' => fn() => $m->read(65530, 7),
    'read at the end' => fn() => $m->read(65536, 1),
    'read negative offset' => fn() => $m->read(-1, 1),
    'read huge' => fn() => $m->read(0, PHP_INT_MAX),
    'read negative length' => fn() => $m->read(0, -1),
    'write past the end' => fn() => $m->write(65535, 'ab'),
    'write negative offset' => fn() => $m->write(-5, 'a'),
    'readCString outside' => fn() => $m->readCString(65536),
    'offsetGet outside' => fn() => $m[65536],
    'offsetGet negative' => fn() => $m[-1],
    'offsetGet string' => fn() => $m['0'],
    'offsetSet outside' => fn() => $m[70000] = 1,
    'offsetSet 256' => fn() => $m[0] = 256,
    'offsetSet -1' => fn() => $m[0] = -1,
    'offsetSet string' => fn() => $m[0] = 'a',
    'append' => fn() => $m[] = 1,
    'grow past the maximum' => fn() => $m->grow(3),
    'grow negative' => fn() => $m->grow(-1),
];
foreach ($attempts as $what => $attempt) {
    try {
        $attempt();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    unset($m[0]);
} catch (Wasm\Exception\WasmException $e) {
    echo 'unset: ', $e->getMessage(), "\n";
}
// Nothing changed.
var_dump($m->pages(), $m[0]);
// The memory can grow up to its maximum of 3 pages, not beyond.
var_dump($m->grow(2), $m->pages());
try {
    $m->grow(1);
} catch (Wasm\Exception\WasmException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($m->pages());
?>
--EXPECT--
read past the end: OutOfBoundsException: Wasm\Memory::read(): 7 bytes at offset 65530 are outside the memory (65536 bytes)
read at the end: OutOfBoundsException: Wasm\Memory::read(): 1 byte at offset 65536 is outside the memory (65536 bytes)
read negative offset: OutOfBoundsException: Wasm\Memory::read(): 1 byte at offset -1 is outside the memory (65536 bytes)
read huge: OutOfBoundsException: Wasm\Memory::read(): 9223372036854775807 bytes at offset 0 are outside the memory (65536 bytes)
read negative length: ValueError: Wasm\Memory::read(): Argument #2 ($length) must be greater than or equal to 0
write past the end: OutOfBoundsException: Wasm\Memory::write(): 2 bytes at offset 65535 are outside the memory (65536 bytes)
write negative offset: OutOfBoundsException: Wasm\Memory::write(): 1 byte at offset -5 is outside the memory (65536 bytes)
readCString outside: OutOfBoundsException: Wasm\Memory::readCString(): 1 byte at offset 65536 is outside the memory (65536 bytes)
offsetGet outside: OutOfBoundsException: Wasm\Memory offset 65536 is outside the memory (65536 bytes)
offsetGet negative: OutOfBoundsException: Wasm\Memory offset -1 is outside the memory (65536 bytes)
offsetGet string: TypeError: Wasm\Memory offset must be of type int, string given
offsetSet outside: OutOfBoundsException: Wasm\Memory offset 70000 is outside the memory (65536 bytes)
offsetSet 256: ValueError: a byte of Wasm\Memory must be between 0 and 255, 256 given
offsetSet -1: ValueError: a byte of Wasm\Memory must be between 0 and 255, -1 given
offsetSet string: TypeError: a byte of Wasm\Memory must be of type int, string given
append: Wasm\Exception\WasmException: Wasm\Memory cannot be appended to ($memory[] = ...)
grow past the maximum: Wasm\Exception\WasmException: cannot grow memory by 3 pages: it has 1 pages and its maximum is 3
grow negative: ValueError: Wasm\Memory::grow(): Argument #1 ($pages) must be between 0 and 65536
unset: bytes of a Wasm\Memory cannot be unset
int(1)
int(0)
int(1)
int(3)
Wasm\Exception\WasmException: cannot grow memory by 1 pages: it has 3 pages and its maximum is 3
int(3)
