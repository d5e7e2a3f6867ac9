--TEST--
Module cache: a second "request" in the process does not compile, the disk cache serves a fresh process, serialize/deserialize, WebAssembly text
--EXTENSIONS--
wasm
--FILE--
<?php
$fixtures = __DIR__ . '/../../tests/fixtures';

// Three "requests" (the same code run again in one process, as in a PHP-FPM worker).
$before = Wasm\Module::cacheStats();
for ($request = 0; $request < 3; $request++) {
    $i = new Wasm\Instance("$fixtures/php_types.wasm");
    $i->add_i32(1, 2);
}
$after = Wasm\Module::cacheStats();
echo 'compiled ', $after['compiled'] - $before['compiled'], ', from memory ', $after['memory_hits'] - $before['memory_hits'], "\n";

// WebAssembly text, as a string or through Module::fromBytes; a syntax error says where.
$text = new Wasm\Instance('(module (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))');
var_dump($text->twice(21));
try {
    new Wasm\Module("(module\n  (func (result i32) i32.const))");
} catch (Wasm\Exception\CompileError $e) {
    echo preg_match('/invalid WebAssembly text: .*:2:\d+/s', $e->getMessage()) ? "text error with line and column\n" : $e->getMessage();
}

// serialize / deserialize: the same results, and traps with their names.
$module = new Wasm\Module("$fixtures/php_traps.wasm");
$blob = $module->serialize();
$back = Wasm\Module::deserialize($blob)->instantiate();
try {
    $back->unreachable();
} catch (Wasm\Exception\Trap $e) {
    echo strtok($e->getMessage(), "\n"), "\n";
}
foreach (['garbage' => 'not a module', 'truncated' => substr($blob, 0, intdiv(strlen($blob), 2)),
          'flipped' => substr_replace($blob, chr(ord($blob[100]) ^ 1), 100, 1)] as $what => $bytes) {
    try {
        Wasm\Module::deserialize($bytes);
        echo "$what: accepted\n";
    } catch (Wasm\Exception\CompileError $e) {
        echo "$what: ", $e->getMessage(), "\n";
    }
}

// The disk cache: this process compiles and writes, a fresh one loads without compiling.
$dir = sys_get_temp_dir() . '/wasm-php-cache-' . getmypid();
ini_set('wasm.cache_dir', $dir);
// A module of its own (php_types plus a custom section), so that no earlier test cached it.
$bytes = file_get_contents("$fixtures/php_types.wasm") . "\x00\x06\x05extra";
new Wasm\Module($bytes);
printf("cache directory mode %o, %d entry\n", fileperms($dir) & 0777, count(glob("$dir/*.wasmc")));
// This PHP with this process's options (the extension), up to the script.
$args = [];
foreach (explode("\0", trim(file_get_contents('/proc/self/cmdline'), "\0")) as $arg) {
    if ($arg === '-f' || str_ends_with($arg, '.php')) break;
    $args[] = $arg;
}
$child = implode(' ', array_map('escapeshellarg', $args)) . ' -d wasm.cache_dir=' . escapeshellarg($dir) . ' -r '
    . escapeshellarg('new Wasm\Module(base64_decode($argv[1])); echo json_encode(Wasm\Module::cacheStats());')
    . ' ' . escapeshellarg(base64_encode($bytes));
echo 'fresh process: ', shell_exec($child), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);

// A cache directory that cannot be made: modules still compile.
ini_set('wasm.cache_dir', __FILE__ . '/not-a-directory');
var_dump((new Wasm\Instance("$fixtures/php_types.wasm"))->add_i32(2, 3));
?>
--EXPECTF--
compiled 1, from memory 2
int(42)
text error with line and column
wasm trap: unreachable executed (unreachable) in function `do_unreachable`
garbage: compile error: cannot load the serialized module: these bytes are not a serialized module
truncated: compile error: cannot load the serialized module: %s
flipped: compile error: cannot load the serialized module: its checksum does not match: truncated or corrupted
cache directory mode 700, 1 entry
fresh process: {"compiled":0,"memory_hits":0,"disk_hits":1}
int(5)
