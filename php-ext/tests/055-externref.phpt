--TEST--
externref holds any PHP value: the same value comes back (through arguments, results, globals, tables and imports), kept alive while wasm holds it, released at the end of the request
--EXTENSIONS--
wasm
--FILE--
<?php
class Noisy {
    public function __construct(public string $name) {}
    public function __destruct() { echo "destroyed {$this->name}\n"; }
}
$wat = '(module
  (import "host" "pass" (func $pass (param externref) (result externref)))
  (global $g (export "g") (mut externref) (ref.null extern))
  (table $t (export "t") 2 externref)
  (func (export "id") (param externref) (result externref) (call $pass (local.get 0)))
  (func (export "keep") (param externref) (global.set $g (local.get 0)))
  (func (export "kept") (result externref) (global.get $g))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0))))';
$seen = [];
$i = new Wasm\Instance($wat, ['host' => ['pass' => function ($v) use (&$seen) { $seen[] = $v; return $v; }]]);
$o = new stdClass;
$values = [$o, "text", [1, [2]], 5, 1.5, true, false, $i];
foreach ($values as $v) {
    echo var_export($i->id($v) === $v, true), ' ';
}
echo "\nthe import saw them: ", var_export($seen === $values, true), "\n";
echo "null: ", var_export($i->id(null), true), ' ', $i->is_null(null), ' ', $i->is_null(0), "\n";

// Wasm keeps the only reference: the object lives on.
$i->keep(new Noisy("kept"));
gc_collect_cycles();
echo "still there: ", $i->kept()->name, "\n";
echo "through the global: ", $i->global("g")->get()->name, "\n";
$i->global("g")->set("via PHP");
echo "set from PHP: ", $i->kept(), "\n";

$t = $i->table("t");
$t->set(1, $o);
echo "table: ", var_export($t->get(1) === $o, true), ' ', var_export($t->get(0), true), "\n";
echo "end of script\n";
?>
--EXPECT--
true true true true true true true true 
the import saw them: true
null: NULL 1 0
still there: kept
through the global: kept
set from PHP: via PHP
table: true NULL
end of script
destroyed kept
