--TEST--
A Trap carries the wasm backtrace: function index, name and module offset per frame, through PHP imports that call wasm again; the message shows the top frames
--EXTENSIONS--
wasm
--FILE--
<?php
$wat = '(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func $div (param i32) (result i32) i32.const 1 local.get 0 i32.div_s)
  (func $middle (export "middle") (param i32) (result i32) local.get 0 call $div)
  (func (export "outer") (param i32) (result i32) local.get 0 call $host)
)';
$host = Wasm\HostFunction::withCaller(fn(Wasm\Caller $caller, int $n) => $caller->call('middle', $n));
$instance = new Wasm\Instance($wat, ['env' => ['host' => $host]]);
try {
    $instance->outer(0);
} catch (Wasm\Exception\Trap $e) {
    echo $e->getMessage(), "\n";
    foreach ($e->getWasmBacktrace() as $i => $frame) {
        printf("%d: function %s, name %s, offset %s\n", $i, var_export($frame['function'], true),
            var_export($frame['name'], true), var_export($frame['offset'], true));
    }
}
var_dump(count((new Wasm\Exception\Trap('made in PHP'))->getWasmBacktrace()));
?>
--EXPECTF--
wasm trap: integer divide by zero (integer_divide_by_zero) in function `div`
wasm backtrace:
    0:   0x%x - div
    1:   0x%x - middle
    2: <host function>
    3:   0x%x - outer
0: function 1, name 'div', offset %d
1: function 2, name 'middle', offset %d
2: function NULL, name NULL, offset NULL
3: function 3, name 'outer', offset %d
int(0)
