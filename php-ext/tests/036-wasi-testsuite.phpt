--TEST--
The official WASI test suite (all 72 programs: C, Rust, AssemblyScript) through Wasm\Wasi: args, env, preopens, stdout capture, exit codes
--EXTENSIONS--
wasm
--FILE--
<?php
$suite = getenv('WASI_TESTSUITE') ?: __DIR__ . '/../../../shared/wasi-testsuite';

function copy_tree(string $from, string $to): void {
    mkdir($to, 0755, true);
    foreach (scandir($from) as $name) {
        if ($name === '.' || $name === '..') continue;
        $source = "$from/$name";
        if (is_link($source)) {
            symlink(readlink($source), "$to/$name");
        } elseif (is_dir($source)) {
            copy_tree($source, "$to/$name");
        } else {
            copy($source, "$to/$name");
            chmod("$to/$name", 0644);
        }
    }
}

function remove_tree(string $dir): void {
    foreach (scandir($dir) as $name) {
        if ($name === '.' || $name === '..') continue;
        $path = "$dir/$name";
        is_dir($path) && !is_link($path) ? remove_tree($path) : unlink($path);
    }
    rmdir($dir);
}

$passed = $failed = 0;
foreach (['assemblyscript', 'c', 'rust'] as $lang) {
    foreach (glob("$suite/$lang/*.wasm") as $wasm) {
        $name = basename($wasm, '.wasm');
        $spec = is_file("$suite/$lang/$name.json")
            ? json_decode(file_get_contents("$suite/$lang/$name.json"), true) : [];
        $scratch = sys_get_temp_dir() . '/wasi-php-' . getmypid() . "-$name";
        $preopens = [];
        if (isset($spec['root'])) {
            copy_tree("$suite/$lang/{$spec['root']}", $scratch);
            $preopens['/'] = $scratch;
        }
        try {
            $wasi = new Wasm\Wasi(
                args: array_merge(["$name.wasm"], $spec['args'] ?? []),
                env: $spec['env'] ?? [],
                preopens: $preopens,
            );
            $status = $wasi->run($wasm);
            $why = null;
            if ($status !== ($spec['exit_code'] ?? 0)) {
                $why = "exit status $status, expected " . ($spec['exit_code'] ?? 0) . '; stderr: ' . $wasi->stderr();
            } elseif (isset($spec['stdout']) && $wasi->stdout() !== $spec['stdout']) {
                $why = 'stdout ' . var_export($wasi->stdout(), true);
            }
        } catch (Throwable $e) {
            $why = get_class($e) . ': ' . $e->getMessage();
        }
        if (is_dir($scratch)) remove_tree($scratch);
        if ($why === null) {
            $passed++;
        } else {
            $failed++;
            echo "$lang/$name: FAILED: $why\n";
        }
    }
}
echo "wasi testsuite (wasip1) from PHP: $passed passed, $failed failed of ", $passed + $failed, "\n";
?>
--EXPECT--
wasi testsuite (wasip1) from PHP: 72 passed, 0 failed of 72
