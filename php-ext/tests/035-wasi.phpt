--TEST--
Wasm\Wasi: args, env, stdin, captured stdout/stderr, exit status, read-only preopens, Instance with wasi:, Exit, errors naming the option
--EXTENSIONS--
wasm
--FILE--
<?php
$guest = __DIR__ . '/../../tests/fixtures/wasi_guest.wasm';

// run(): the exit status is 10 * argc + envc; stdin is echoed; stderr captured.
$wasi = new Wasm\Wasi(args: ['guest', 'a', 'b'], env: ['A' => '1', 'B' => '2'], stdin: "from PHP\n");
var_dump($wasi->run($guest), $wasi->stdout(), $wasi->stderr());
$wasi = new Wasm\Wasi();
var_dump($wasi->run(new Wasm\Module($guest)), $wasi->stdout());
$quiet = new Wasm\Wasi(stdin: 'x', stdout: 'discard', stderr: 'discard');
var_dump($quiet->run(file_get_contents($guest)), $quiet->stdout(), $quiet->stderr());

// Preopens: writable by default, read-only on request.
$dir = sys_get_temp_dir() . '/wasm-php-wasi-' . getmypid();
mkdir($dir);
foreach ([['/data' => $dir], ['/data' => ['path' => $dir, 'readonly' => true]]] as $preopens) {
    $i = new Wasm\Instance($guest, [], wasi: new Wasm\Wasi(preopens: $preopens));
    $i->memory()->write(1024, 'made.txt');
    $errno = $i->create(8);
    echo isset($preopens['/data']['readonly']) ? 'read-only' : 'writable', ": errno $errno, file ",
        file_exists("$dir/made.txt") ? 'exists' : 'absent', "\n";
    @unlink("$dir/made.txt");
}
rmdir($dir);

// A library-style instance: _initialize ran; proc_exit in a call is Wasm\Exception\Exit.
$i = new Wasm\Instance($guest, [], wasi: new Wasm\Wasi());
var_dump($i->initialized());
try {
    $i->exit(42);
} catch (\Wasm\Exception\Exit $e) {
    echo get_class($e), ': ', $e->getMessage(), ' / status ', $e->getStatus(), ' / code ', $e->getCode(), "\n";
    var_dump($e instanceof Wasm\Exception\WasmException);
}
// Without wasi:, the WASI imports are missing, and the message says how to give them.
try {
    new Wasm\Instance($guest);
} catch (Wasm\Exception\LinkError $e) {
    echo $e->getMessage(), "\n";
}

// Bad options name themselves.
$bad = [
    fn () => new Wasm\Wasi(args: ['ok', 5]),
    fn () => new Wasm\Wasi(env: ['A=B' => 'x']),
    fn () => new Wasm\Wasi(env: ['A' => "x\0y"]),
    fn () => new Wasm\Wasi(preopens: ['/data' => '/no/such/directory']),
    fn () => new Wasm\Wasi(preopens: ['/data' => ['readonly' => true]]),
    fn () => new Wasm\Wasi(stdin: 42),
    fn () => new Wasm\Wasi(stdout: 'loud'),
    fn () => (new Wasm\Wasi())->run(3.5),
];
foreach ($bad as $f) {
    try {
        $f();
        echo "accepted\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
int(32)
string(9) "from PHP
"
string(4) "oops"
int(0)
string(0) ""
int(0)
string(0) ""
string(0) ""
writable: errno 0, file exists
read-only: errno 63, file absent
int(1)
Wasm\Exception\Exit: the program exited with status 42 / status 42 / code 42
bool(true)
link error: import `wasi_snapshot_preview1`.`fd_read`: missing function func(i32, i32, i32, i32) -> i32: the imports have no `wasi_snapshot_preview1` entry (a WASI program: pass `wasi: new Wasm\Wasi(...)`)
TypeError: Wasm\Wasi::__construct(): Argument $args[1] must be of type string, int given
ValueError: Wasm\Wasi::__construct(): WASI env: the variable name "A=B" must be non-empty, without `=` or NUL
ValueError: Wasm\Wasi::__construct(): WASI env: the value of "A" contains a NUL byte
ValueError: Wasm\Wasi::__construct(): WASI preopen `/data` (host directory /no/such/directory): cannot be opened: No such file or directory (os error 2)
ValueError: Wasm\Wasi::__construct(): Argument $preopens["/data"] has no "path"
TypeError: Wasm\Wasi::__construct(): Argument $stdin must be of type string, a stream or null, int given
ValueError: Wasm\Wasi::__construct(): Argument $stdout must be "capture", "inherit" or "discard", "loud" given
TypeError: Wasm\Wasi::run(): Argument #1 ($pathOrBytesOrModule) must be of type Wasm\Module|string, float given
