--TEST--
v128: 16-byte binary strings in and out of exports, imports and globals; SIMD arithmetic
--EXTENSIONS--
wasm
--FILE--
<?php
$wat = <<<'WAT'
(module
  (import "host" "twice" (func $twice (param v128) (result v128)))
  (import "host" "g" (global $imported (mut v128)))
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "add") (param v128 v128) (result v128)
    local.get 0 local.get 1 i32x4.add)
  (func (export "dot") (param v128 v128) (result i32)
    (local $p v128)
    local.get 0 local.get 1 i32x4.dot_i16x8_s local.set $p
    local.get $p i32x4.extract_lane 0 local.get $p i32x4.extract_lane 1 i32.add
    local.get $p i32x4.extract_lane 2 i32.add local.get $p i32x4.extract_lane 3 i32.add)
  (func (export "via_host") (param v128) (result v128)
    local.get 0 call $twice)
  (func (export "imported") (result v128) global.get $imported))
WAT;
$i32x4 = fn (int ...$l) => pack('V4', ...$l);
$lanes = fn (string $v) => array_values(unpack('l4', $v));
$imported = new Wasm\GlobalVariable('v128', $i32x4(7, 7, 7, 7), true);
$i = new Wasm\Instance($wat, ['host' => [
    'twice' => fn (string $v) => $i32x4(...array_map(fn ($x) => 2 * $x, $lanes($v))),
    'g' => $imported,
]]);

echo implode(' ', $lanes($i->add($i32x4(1, 2, 3, -1), $i32x4(10, 20, 30, 2)))), "\n";
echo $i->dot(pack('v8', 1, 2, 3, 4, 5, 6, 7, 8), pack('v8', 1, 1, 1, 1, 1, 1, 1, 1)), "\n";
echo implode(' ', $lanes($i->via_host($i32x4(1, -2, 3, 400)))), "\n";
$g = $i->global('g');
echo $g->type(), ' ', implode(' ', $lanes($g->get())), "\n";
$g->set(str_repeat("\xff", 16));
echo bin2hex($g->get()), "\n";
echo implode(' ', $lanes($i->imported())), "\n";
$imported->set($i32x4(0, 1, 0, 1));
echo implode(' ', $lanes($i->imported())), "\n";
var_dump(strlen($i->add(str_repeat("\0", 16), str_repeat("\0", 16))));

$cases = [
    'short argument' => fn () => $i->add('abc', str_repeat("\0", 16)),
    'int argument' => fn () => $i->add(str_repeat("\0", 16), 5),
    'long global value' => fn () => $g->set(str_repeat("\0", 17)),
    'host returns 4 bytes' => function () use ($wat) {
        $j = new Wasm\Instance($wat, ['host' => [
            'twice' => fn (string $v) => 'four',
            'g' => new Wasm\GlobalVariable('v128', str_repeat("\0", 16), true),
        ]]);
        return $j->via_host(str_repeat("\0", 16));
    },
];
foreach ($cases as $what => $f) {
    try {
        $f();
        echo "$what: no error\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
11 22 33 1
36
2 -4 6 800
v128 1 2 3 4
ffffffffffffffffffffffffffffffff
7 7 7 7
0 1 0 1
int(16)
short argument: ValueError: add(): argument #1 must be a string of 16 bytes to be a v128, a string of 3 bytes given
int argument: TypeError: add(): argument #2 must be of type v128, int given
long global value: ValueError: Wasm\GlobalVariable::set(): argument #1 must be a string of 16 bytes to be a v128, a string of 17 bytes given
host returns 4 bytes: ValueError: host.twice(): return value must be a string of 16 bytes to be a v128, a string of 4 bytes returned
