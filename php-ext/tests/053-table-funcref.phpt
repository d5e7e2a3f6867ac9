--TEST--
Wasm\Table (size, get, set, grow, type) and funcrefs as callable Wasm\Func objects: from tables, results, globals and import arguments, and back into wasm
--EXTENSIONS--
wasm
--FILE--
<?php
$wat = '(module
  (import "env" "seen" (func $seen (param funcref)))
  (table (export "t") 3 funcref)
  (elem (i32.const 0) $add $neg)
  (global (export "g") (mut funcref) (ref.func $neg))
  (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $neg (param i32) (result i32) i32.const 0 local.get 0 i32.sub)
  (func (export "pick") (param i32) (result funcref) local.get 0 table.get 0)
  (func (export "show") (param i32) local.get 0 table.get 0 call $seen)
  (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32)))';
$seen = [];
$i = new Wasm\Instance($wat, ['env' => ['seen' => function (?Wasm\Func $f) use (&$seen) { $seen[] = $f; }]]);
$t = $i->table('t');
var_dump($t->size(), $t->type());
$neg = $t->get(1);
var_dump($neg instanceof Wasm\Func, $neg->type(), $neg(5), $t->get(2));
$add = $i->pick(0);                    // a result
var_dump($add(2, 3), call_user_func($add, 4, 5));
var_dump($i->global('g')->get()(8));   // a global
$i->show(1);                           // an import's argument
$i->show(2);
var_dump($seen[0](9), $seen[1]);

$t->set(2, $neg);                      // back into wasm
var_dump($i->call_at(2, 7));
$t->set(2, null);
var_dump($t->grow(2, $add), $t->size(), $t->get(4)(1, 1), $t->grow(1));
var_dump($t);

foreach ([fn() => $t->get(9), fn() => $t->get(-1), fn() => $t->set(0, 5), fn() => $t->grow(-1),
          fn() => $neg('x'), fn() => $neg(), fn() => $i->table('add'), fn() => $i->call_at(2, 0),
          fn() => $t->set(0, (new Wasm\Instance($wat, ['env' => ['seen' => fn($f) => null]]))->table('t')->get(0))] as $f) {
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', strtok($e->getMessage(), "\n"), "\n";
    }
}
?>
--EXPECTF--
int(3)
string(17) "table(3, funcref)"
bool(true)
string(16) "func(i32) -> i32"
int(-5)
NULL
int(5)
int(9)
int(-8)
int(-9)
NULL
int(-7)
int(3)
int(5)
int(2)
int(5)
object(Wasm\Table)#%d (2) {
  ["type"]=>
  string(17) "table(6, funcref)"
  ["size"]=>
  int(6)
}
OutOfBoundsException: Wasm\Table::get(): index 9 is outside the table (6 elements)
OutOfBoundsException: Wasm\Table::get(): index -1 is outside the table (6 elements)
TypeError: Wasm\Table::set(): argument #2 must be of type funcref, int given
ValueError: Wasm\Table::grow(): Argument #1 ($delta) must be between 0 and 4294967295
TypeError: funcref(): argument #1 must be of type i32, string given
ArgumentCountError: funcref(): expects exactly 1 argument, 0 given
Wasm\Exception\WasmException: the export `add` is a function, not a table
Wasm\Exception\Trap: wasm trap: uninitialized element (indirect call to null) (indirect_call_to_null) in function `call_at`
ValueError: Wasm\Table::set(): argument #2 must be a function of the same store, a function of another store given
