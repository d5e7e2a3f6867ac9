--TEST--
wasm.stub.php declares every class, method and property of the extension, with the same parameters, return types and property types
--EXTENSIONS--
wasm
tokenizer
--FILE--
<?php
// Reads the stub with the tokenizer (it cannot be loaded: the classes exist).
$tokens = token_get_all(file_get_contents(__DIR__ . '/../wasm.stub.php'));
$stub = [];
$namespace = $class = null;
$depth = 0;
$classDepth = null;
for ($k = 0; $k < count($tokens); $k++) {
    $t = $tokens[$k];
    if ($t === '{') { $depth++; continue; }
    if ($t === '}') {
        $depth--;
        if ($classDepth !== null && $depth < $classDepth) { $class = $classDepth = null; }
        continue;
    }
    if (!is_array($t)) continue;
    if ($t[0] === T_NAMESPACE) {
        $namespace = '';
        while ($tokens[++$k] !== '{') {
            if (is_array($tokens[$k]) && $tokens[$k][0] !== T_WHITESPACE) $namespace .= $tokens[$k][1];
        }
        $depth++;
    } elseif ($t[0] === T_CLASS) {
        // `Exit` is a keyword token (T_EXIT) where other names are T_STRING.
        while (!in_array($tokens[++$k][0], [T_STRING, T_EXIT], true));
        $class = $namespace . '\\' . $tokens[$k][1];
        $stub[$class] = [];
        $classDepth = $depth + 1;
    } elseif (in_array($t[0], [T_PUBLIC, T_PROTECTED, T_PRIVATE], true) && $class !== null && $depth === $classDepth) {
        // A property: what stands between its visibility and its name is its type.
        $type = '';
        for ($j = $k + 1; in_array($tokens[$j], ['?', '|'], true)
                || (is_array($tokens[$j]) && !in_array($tokens[$j][0], [T_VARIABLE, T_FUNCTION, T_STATIC], true)); $j++) {
            $type .= trim(is_array($tokens[$j]) ? $tokens[$j][1] : $tokens[$j]);
        }
        if (is_array($tokens[$j]) && $tokens[$j][0] === T_VARIABLE) {
            $stub[$class]['$' . substr($tokens[$j][1], 1)] = $t[1] . ' ' . $type;
        }
    } elseif ($t[0] === T_FUNCTION && $class !== null) {
        // The next word, which may be a keyword such as `global`.
        while (!is_array($tokens[++$k]) || $tokens[$k][0] === T_WHITESPACE);
        $method = $tokens[$k][1];
        $signature = '';
        while (true) {
            $x = $tokens[++$k];
            $text = is_array($x) ? $x[1] : $x;
            if ($text === '{' || $text === ';') break;
            $signature .= $text;
        }
        $k--;
        $stub[$class][$method] = preg_replace('/\s+/', ' ', trim($signature));
    }
}

$problems = 0;
foreach ((new ReflectionExtension('wasm'))->getClasses() as $rc) {
    $name = $rc->getName();
    if (!isset($stub[$name])) { echo "class $name missing from the stub\n"; $problems++; continue; }
    foreach ($rc->getMethods() as $rm) {
        if ($rm->getDeclaringClass()->getName() !== $name) continue;
        $m = $rm->getName();
        if (!isset($stub[$name][$m])) { echo "$name::$m missing from the stub\n"; $problems++; continue; }
        $params = array_map(fn($p) => ($p->isVariadic() ? '...' : '') . '$' . $p->getName(), $rm->getParameters());
        preg_match_all('/(\.\.\.)?\$\w+/', $stub[$name][$m], $found);
        if ($found[0] !== $params) {
            echo "$name::$m: parameters ", implode(', ', $params), " vs stub ", $stub[$name][$m], "\n";
            $problems++;
        }
        if ($rm->hasReturnType()) {
            $type = preg_replace('/^\??Wasm\\\\/', $rm->getReturnType()->allowsNull() && (string) $rm->getReturnType() !== 'mixed' ? '?' : '', (string) $rm->getReturnType());
            if (!str_ends_with($stub[$name][$m], ": $type")) {
                echo "$name::$m: return type ", $rm->getReturnType(), " vs stub ", $stub[$name][$m], "\n";
                $problems++;
            }
        }
        unset($stub[$name][$m]);
    }
    foreach ($rc->getProperties() as $rp) {
        if ($rp->getDeclaringClass()->getName() !== $name) continue;
        $p = '$' . $rp->getName();
        $visibility = $rp->isPublic() ? 'public' : ($rp->isProtected() ? 'protected' : 'private');
        $declared = $visibility . ' ' . ($rp->hasType() ? (string) $rp->getType() : '');
        if (!isset($stub[$name][$p])) { echo "$name::$p missing from the stub\n"; $problems++; continue; }
        if ($stub[$name][$p] !== $declared) {
            echo "$name::$p: $declared vs stub {$stub[$name][$p]}\n";
            $problems++;
        }
        unset($stub[$name][$p]);
    }
    foreach ($stub[$name] as $m => $sig) { echo "$name::$m in the stub only\n"; $problems++; }
    unset($stub[$name]);
}
foreach ($stub as $name => $_) { echo "class $name in the stub only\n"; $problems++; }
echo "$problems problems\n";
?>
--EXPECT--
0 problems
