--TEST--
Wasm\Memory typed reads and writes: 8 to 64-bit integers signed and unsigned, f32 and f64, little-endian, bounds and ranges checked
--EXTENSIONS--
wasm
--FILE--
<?php
$m = new Wasm\Memory(1);
$m->writeI32(0, -2);
var_dump($m->readI32(0), $m->readU32(0), $m->readU16(0), $m->readI16(2), $m->readU8(3), $m->readI8(3));
var_dump(bin2hex($m->read(0, 4)));   // little-endian
$m->writeI32(4, 4294967295);          // i32 arguments' range: up to 2**32-1
var_dump($m->readI32(4));
$m->writeI8(8, 200);
$m->writeI16(9, -300);
var_dump($m->readU8(8), $m->readI8(8), $m->readI16(9), $m->readU16(9));
$m->writeI64(16, PHP_INT_MIN);
var_dump($m->readI64(16) === PHP_INT_MIN, bin2hex($m->read(16, 8)));
$m->writeF32(24, 0.1);
$m->writeF64(32, 0.1);
var_dump($m->readF32(24), $m->readF64(32), $m->readF32(24) === (float) unpack('g', pack('g', 0.1))[1]);
$m->writeF64(40, NAN);
var_dump(is_nan($m->readF64(40)));

// What a wasm function stores, PHP reads, and back.
$i = new Wasm\Instance('(module (memory (export "memory") 1)
    (func (export "store") (i64.store (i32.const 48) (i64.const -5)))
    (func (export "load") (result f32) (f32.load (i32.const 56))))');
$i->store();
$mem = $i->memory();
var_dump($mem->readI64(48));
$mem->writeF32(56, 2.5);
var_dump($i->load());

foreach ([fn() => $m->readI32(65533), fn() => $m->readU8(-1), fn() => $m->writeF64(65529, 1.0),
          fn() => $m->writeI8(0, 256), fn() => $m->writeI8(0, -129), fn() => $m->writeI16(0, 65536),
          fn() => $m->writeI32(0, 4294967296)] as $f) {
    try {
        $f();
        echo "no exception\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
int(-2)
int(4294967294)
int(65534)
int(-1)
int(255)
int(-1)
string(8) "feffffff"
int(-1)
int(200)
int(-56)
int(-300)
int(65236)
bool(true)
string(16) "0000000000000080"
float(0.10000000149011612)
float(0.1)
bool(true)
bool(true)
int(-5)
float(2.5)
OutOfBoundsException: Wasm\Memory::readI32(): 4 bytes at offset 65533 are outside the memory (65536 bytes)
OutOfBoundsException: Wasm\Memory::readU8(): 1 byte at offset -1 is outside the memory (65536 bytes)
OutOfBoundsException: Wasm\Memory::writeF64(): 8 bytes at offset 65529 are outside the memory (65536 bytes)
ValueError: Wasm\Memory::writeI8(): Argument #2 ($value) must be between -128 and 255, 256 given
ValueError: Wasm\Memory::writeI8(): Argument #2 ($value) must be between -128 and 255, -129 given
ValueError: Wasm\Memory::writeI16(): Argument #2 ($value) must be between -32768 and 65535, 65536 given
ValueError: Wasm\Memory::writeI32(): Argument #2 ($value) must be between -2147483648 and 4294967295, 4294967296 given
