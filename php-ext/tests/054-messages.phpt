--TEST--
The message table shared with the Ruby suite (tests/fixtures/messages.tsv): each error's class and text
--EXTENSIONS--
wasm
--FILE--
<?php
$dir = __DIR__ . '/../../tests/fixtures';
$bytes = file_get_contents("$dir/messages.wasm");
$imports = ['env' => ['f' => fn (int $x) => "seven", 'g' => 1]];
$i = new Wasm\Instance($bytes, $imports);
$cases = [
    'no_import_module' => fn () => new Wasm\Instance($bytes),
    'no_import_field' => fn () => new Wasm\Instance($bytes, ['env' => ['g' => 1]]),
    'divide_by_zero' => fn () => $i->div(1, 0),
    'integer_overflow' => fn () => $i->div(-2147483648, -1),
    'unreachable' => fn () => $i->unreachable(),
    'memory_out_of_bounds' => fn () => $i->oob(),
    'stack_overflow' => fn () => $i->rec(0),
    'indirect_call_to_null' => fn () => $i->null_call(),
    'host_result_type' => fn () => $i->via_host(1),
    'too_few_arguments' => fn () => $i->div(1),
    'too_many_arguments' => fn () => $i->div(1, 2, 3),
    'argument_type' => fn () => $i->div(1, "2"),
    'argument_range' => fn () => $i->div(4294967296, 1),
    'no_such_global' => fn () => $i->global('nope'),
    'memory_read_outside' => fn () => $i->memory()->read(65530, 10),
    'memory_write_outside' => fn () => $i->memory()->write(65535, "ab"),
    'malformed_module' => fn () => new Wasm\Instance("\0asm\1\0\0\0\xff"),
    'invalid_text' => fn () => new Wasm\Instance('(module'),
    'table_index_outside' => fn () => $i->table('table')->get(7),
    'function_of_another_store' => fn () => $i->table('table')->set(1, (new Wasm\Instance($bytes, $imports))->table('table')->get(0)),
];
$rows = 0;
$failures = [];
foreach (file("$dir/messages.tsv", FILE_IGNORE_NEW_LINES) as $line) {
    if ($line === '' || $line[0] === '#') {
        continue;
    }
    [$case, $class, , $message] = explode("\t", $line);
    $rows++;
    $message = strtr($message, [
        '{given}' => 'string',
        '{memory}' => 'Wasm\Memory::',
        '{table.get}' => 'Wasm\Table::get',
        '{table.set}' => 'Wasm\Table::set',
    ]);
    if (!isset($cases[$case])) {
        $failures[] = "$case: no such case in this suite";
        continue;
    }
    try {
        $cases[$case]();
        $failures[] = "$case: no exception";
    } catch (Throwable $e) {
        $first = strtok($e->getMessage(), "\n");
        if (get_class($e) !== $class || $first !== $message) {
            $failures[] = "$case: " . get_class($e) . ": $first (expected $class: $message)";
        }
    }
}
echo $rows === count($cases) ? "every case has a row\n" : "rows: $rows, cases: " . count($cases) . "\n";
echo $failures ? implode("\n", $failures) . "\n" : "all rows pass\n";
?>
--EXPECT--
every case has a row
all rows pass
