--TEST--
Table imports: another instance's table, or a new Wasm\Table, imported and shared (call_indirect through it, writes seen on both sides, growth up to the maximum); link and constructor errors
--EXTENSIONS--
wasm
--FILE--
<?php
$lib = new Wasm\Instance('(module
  (table (export "t") 2 10 funcref)
  (elem (i32.const 0) $double)
  (func $double (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32)))');
$user = '(module
  (import "env" "t" (table 2 funcref))
  (elem (i32.const 1) $square)
  (func $square (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32))
  (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0)
  (func (export "tsize") (result i32) table.size 0))';
$app = new Wasm\Instance($user, ['env' => ['t' => $lib->table('t')]]);
// The importer's element segment wrote into the exporter's table.
var_dump($app->call_at(0, 7), $app->call_at(1, 7), $lib->call_at(1, 5));
var_dump($app->grow(3), $lib->table('t')->size(), $app->grow(100), $app->tsize());

// A table made in PHP: PHP and wasm see the same elements.
$t = new Wasm\Table(2, 4);
var_dump($t->type(), $t->size(), $t->get(0));
$app2 = new Wasm\Instance($user, ['env' => ['t' => $t]]);
$square = $t->get(1);
var_dump($square(6), $app2->grow(2), $t->size(), $app2->grow(1));
// A function of the table's store (the importer's) may be set; it is called from wasm.
$t->set(0, $square);
var_dump($app2->call_at(0, 9));
$refs = new Wasm\Table(1, null, 'externref');
var_dump($refs->type(), $refs->get(0));
$refs->set(0, $lib);
var_dump($refs->get(0) === $lib);

foreach ([
    fn() => new Wasm\Instance($user, ['env' => ['t' => new Wasm\Memory(1)]]),
    fn() => new Wasm\Instance($user, ['env' => ['t' => new Wasm\Table(1)]]),
    fn() => new Wasm\Instance($user, ['env' => ['t' => new Wasm\Table(2, null, 'externref')]]),
    fn() => new Wasm\Instance('(module (import "env" "t" (table 1 funcref)) (import "env" "m" (memory 1)))',
                              ['env' => ['t' => new Wasm\Table(1), 'm' => new Wasm\Memory(1)]]),
    fn() => new Wasm\Table(-1),
    fn() => new Wasm\Table(3, 2),
    fn() => new Wasm\Table(1, null, 'i32'),
    fn() => $t->set(0, $lib->table('t')->get(0)),
] as $f) {
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
int(14)
int(49)
int(25)
int(2)
int(5)
int(-1)
int(5)
string(20) "table(2, 4, funcref)"
int(2)
NULL
int(36)
int(2)
int(4)
int(-1)
int(81)
string(19) "table(1, externref)"
NULL
bool(true)
Wasm\Exception\LinkError: link error: import `env`.`t`: expected a Wasm\Table for the table table(2, funcref), Wasm\Memory given
Wasm\Exception\LinkError: link error: import `env`.`t`: incompatible import type: expected table(2, funcref), got table(1, funcref)
Wasm\Exception\LinkError: link error: import `env`.`t`: incompatible import type: expected table(2, funcref), got table(2, externref)
Wasm\Exception\LinkError: link error: import `env`.`m`: it belongs to another instance than the import `env`.`t`: the memories, globals and tables an instance imports must all come from one other instance
ValueError: Wasm\Table::__construct(): Argument #1 ($minimum) must be between 0 and 4294967295 elements
ValueError: Wasm\Table::__construct(): Argument #2 ($maximum) must not be less than the minimum
ValueError: Wasm\Table::__construct(): Argument #3 ($type) must be "funcref" or "externref"
ValueError: Wasm\Table::set(): argument #2 must be a function of the same store, a function of another store given
