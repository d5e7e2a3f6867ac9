--TEST--
The conversion table shared with the Ruby suite (tests/fixtures/conversions.tsv): arguments and import results
--EXTENSIONS--
wasm
--FILE--
<?php
$dir = __DIR__ . '/../../tests/fixtures';
$current = null;
$host = [];
foreach (['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'] as $t) {
    $host[$t] = function () use (&$current) { return $current; };
}
$i = new Wasm\Instance("$dir/conversions.wasm", ['host' => $host]);

function value(string $spec, Wasm\Instance $i): mixed {
    [$kind, $text] = array_pad(explode(':', $spec, 2), 2, '');
    return match ($kind) {
        'int' => intval($text),
        'float' => floatval($text),
        'bool' => $text === 'true',
        'string' => $text,
        'bytes' => hex2bin($text),
        'null' => null,
        'list' => [],
        'object' => new stdClass(),
        'func' => $i->answer_ref(),
    };
}

function same(mixed $got, string $expected, mixed $given): bool {
    [$kind, $text] = array_pad(explode(':', $expected, 2), 2, '');
    if ($expected === 'same') {
        return $got === $given;
    }
    if ($expected === 'null') {
        return $got === null;
    }
    if ($kind === 'func') {
        return $got instanceof Wasm\Func && $got() === intval($text);
    }
    if ($kind === 'bytes') {
        return $got === hex2bin($text);
    }
    return $kind === 'int'
        ? is_int($got) && $got === intval($text)
        : is_float($got) && $got === floatval($text) && (fdiv(1, $got) < 0) === (fdiv(1, floatval($text)) < 0);
}

$rows = 0;
$failures = [];
foreach (file("$dir/conversions.tsv", FILE_IGNORE_NEW_LINES) as $line) {
    if ($line === '' || $line[0] === '#') {
        continue;
    }
    [$spec, $type, $outcome, $message] = array_pad(explode("\t", $line), 4, '');
    $rows++;
    $v = value($spec, $i);
    $given = get_debug_type($v);
    $message = str_replace('{given}', $given, $message);
    $cases = [
        'argument' => [fn () => $i->{"id_$type"}($v), $message],
        'result' => [
            function () use (&$current, $v, $i, $type) { $current = $v; return $i->{"from_host_$type"}(); },
            preg_replace(['/^id_(\w+)\(\): argument #1/', '/ given$/'], ['host.$1(): return value', ' returned'], $message),
        ],
    ];
    foreach ($cases as $what => [$call, $expected_message]) {
        try {
            $got = $call();
            if (isset(['type' => 1, 'range' => 1, 'length' => 1][$outcome]) || !same($got, $outcome, $v)) {
                $failures[] = "$what $spec as $type: got " . var_export($got, true) . ", expected $outcome";
            }
        } catch (Throwable $e) {
            $class = ['type' => TypeError::class, 'range' => ValueError::class, 'length' => ValueError::class][$outcome] ?? 'no exception';
            if (get_class($e) !== $class || $e->getMessage() !== $expected_message) {
                $failures[] = "$what $spec as $type: " . get_class($e) . ': ' . $e->getMessage() . " (expected $class: $expected_message)";
            }
        }
    }
}
echo $rows > 20 ? "rows: enough\n" : "rows: only $rows\n";
echo $failures ? implode("\n", $failures) . "\n" : "all rows pass\n";
?>
--EXPECT--
rows: enough
all rows pass
