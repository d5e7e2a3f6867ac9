--TEST--
Wasm\Memory: read, write, readCString, size, pages, grow, ArrayAccess and Countable over bytes
--EXTENSIONS--
wasm
--FILE--
<?php
$i = new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm');
$m = $i->memory();
var_dump($m instanceof Wasm\Memory, $m->size(), $m->pages(), count($m), $m->maximum());
// Binary-safe: the data segment holds "Hello\0World" at 16.
var_dump(strlen($m->read(16, 11)), bin2hex($m->read(16, 11)), str_replace("\0", "\\0", $m->read(16, 11)), $m->readCString(16), $m->readCString(22));
var_dump($m->read(0, 0));
$m->write(100, "A\0B\xff");
var_dump(bin2hex($m->read(99, 6)));
var_dump($i->load8(103));
$i->store8(200, 0x7a);
var_dump($m[200], $m->read(200, 1));
$m[201] = 255;
$m[202] = 0;
var_dump($m[201], $i->load8(201), isset($m[0]), isset($m[65535]), isset($m[65536]), isset($m[-1]), isset($m['x']));
$m->write(300, str_repeat("\x01", 1000));
var_dump(array_sum(array_map('ord', str_split($m->read(300, 1000)))));
// Growing: the previous size in pages, seen from wasm too.
var_dump($m->grow(1), $m->pages(), $m->size(), count($m), $i->mem_pages());
var_dump($m->grow(0), $m->pages());
var_dump(bin2hex($m->read(131070, 2)));
$m->write(131071, "z");
var_dump($m[131071]);
// Another memory object for the same memory sees the same bytes.
var_dump($i->memory()[131071], $i->memory()->pages());
// Last byte of memory without a NUL: readCString stops at the end.
$m->write(131068, "abcd");
var_dump($m->readCString(131068));
// A memory outlives its instance.
$orphan = (new Wasm\Instance(__DIR__ . '/../../tests/fixtures/php_types.wasm'))->memory();
gc_collect_cycles();
var_dump($orphan->readCString(16), $orphan->grow(1));
?>
--EXPECT--
bool(true)
int(65536)
int(1)
int(65536)
int(3)
int(11)
string(22) "48656c6c6f00576f726c64"
string(12) "Hello\0World"
string(5) "Hello"
string(5) "World"
string(0) ""
string(12) "00410042ff00"
int(255)
int(122)
string(1) "z"
int(255)
int(255)
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
int(1000)
int(1)
int(2)
int(131072)
int(131072)
int(2)
int(2)
int(2)
string(4) "0000"
int(122)
int(122)
int(2)
string(4) "abcd"
string(5) "Hello"
int(1)
