<?php

/**
 * Stubs of the `wasm` extension for IDEs and static analysers (PHPStan, Psalm, PhpStorm).
 * Not loaded by PHP: the classes are defined by the extension.
 *
 * @generate-class-entries never
 */

namespace Wasm {

    /**
     * An instance of a WebAssembly module, in a store of its own. Its exported functions are
     * methods: `$instance->sum(5, 37)`.
     *
     * Arguments: int → i32 (from -2**31 to 2**32-1, else \ValueError), int → i64, int or
     * float → f32/f64, a binary string of exactly 16 bytes → v128 (memory order; another
     * length is a \ValueError), null → a null reference; anything else (bool included) is a
     * \TypeError naming the export, the argument number and the wasm type. A wrong number of
     * arguments is an \ArgumentCountError. Results: i32/i64 → int (signed), f32/f64 → float,
     * v128 → a 16-byte string, no result → null, several results → a list.
     *
     * An export whose name is also a method of this class (or of a subclass) is called with
     * call() or __call().
     *
     * @method mixed __call(string $name, array $arguments)
     */
    class Instance
    {
        /**
         * Instantiates a module, compiling it first when given as a path or bytes.
         *
         * @param Module|string $pathOrBytesOrModule A compiled module, the path of a .wasm
         *                            file, or the bytes of a module (recognised by the "\0asm"
         *                            header).
         * @param array<string, array<string, callable|HostFunction|Memory|GlobalVariable|Table|int|float>> $imports
         *        By module and field name: `['env' => ['sum' => fn(int $a, int $b): int => $a + $b]]`.
         *        Functions may be any PHP callable; their signature is the module's import
         *        declaration, and the values they return are converted like arguments. A
         *        global may be given as a plain value (a constant global). The memories,
         *        globals and tables must all come from one instance (or one `new Memory` or
         *        `new Table`); globals made with `new` join the first instance that imports them.
         * @param Wasi|null $wasi For a WASI module used as a library: the WASI imports the
         *        array does not give come from this context, and the module's `_initialize`
         *        runs if it exports one. A `proc_exit` in a later call throws Exception\Exit.
         * @param float|null $timeout A time limit in seconds for each call (and the start
         *        function), checked also inside tight loops: past it the call throws
         *        Exception\Trap with code "timeout". It applies to the instance's store, which
         *        it shares with instances whose memories, globals or tables it imports.
         * @param int|null $fuel Units of fuel the instance may use, one per wasm instruction
         *        (block markers, nop and drop are free), start function included: past them
         *        a call throws Exception\Trap with code "out_of_fuel" (see getFuel, addFuel).
         *        Without it the code is not metered at all.
         * @param int|null $memoryLimit A cap in bytes on the instance's memories together: past
         *        it `memory.grow` returns -1 and Memory::grow throws. PHP's `memory_limit`
         *        caps them too (wasm memories live outside PHP's allocator, where
         *        `memory_limit` would not see them), so this can only lower it.
         *
         * @throws Exception\CompileError The bytes are not a module the engine can run.
         * @throws Exception\WasmException The file cannot be read.
         * @throws Exception\LinkError An import is missing or unusable (the message names it as `module`.`field`).
         * @throws Exception\Trap The start function trapped.
         * @throws Exception\WasmException A memory's minimum does not fit in the memory limit.
         * @throws \TypeError The first argument is neither a Module nor a string.
         * @throws \ValueError $timeout is not positive, $fuel or $memoryLimit negative.
         */
        public function __construct(Module|string $pathOrBytesOrModule, array $imports = [], ?Wasi $wasi = null, ?float $timeout = null, ?int $fuel = null, ?int $memoryLimit = null) {}

        /**
         * Calls the exported function `$name` with `$arguments`; what `$instance->name(...)` does.
         *
         * @param list<mixed> $arguments
         * @return int|float|list<int|float|null>|null
         *
         * @throws \BadMethodCallException The module has no function export named `$name`.
         * @throws \ArgumentCountError
         * @throws \TypeError
         * @throws \ValueError
         * @throws Exception\Trap
         */
        public function __call(string $name, array $arguments): mixed {}

        /**
         * Calls the exported function `$name` with `$args`.
         *
         * @return int|float|list<int|float|null>|null
         *
         * @throws \BadMethodCallException
         * @throws \ArgumentCountError
         * @throws \TypeError
         * @throws \ValueError
         * @throws Exception\Trap
         */
        public function call(string $name, mixed ...$args): mixed {}

        /**
         * The first exported memory.
         *
         * @throws Exception\WasmException The module exports no memory.
         */
        public function memory(): Memory {}

        /**
         * The exported global `$name`.
         *
         * @throws Exception\WasmException No global is exported under that name.
         */
        public function global(string $name): GlobalVariable {}

        /**
         * The exported table `$name`.
         *
         * @throws Exception\WasmException The module has no table export named `$name`.
         */
        public function table(string $name): Table {}

        /**
         * All exports (functions, memories, tables, globals), in the module's order: name =>
         * type, as Module::exports() gives them, e.g. `"sum" => "func(i32, i32) -> i32"`.
         *
         * @return array<string, string>
         */
        public function exports(): array {}

        /** Whether the module exports a function named `$name`. */
        public function hasFunction(string $name): bool {}

        /**
         * Makes the wasm code running in this instance's store trap with `interrupt` at its
         * next function entry or loop iteration: from an import, to stop the export call that
         * called it. When no wasm code is running, the next call traps at once.
         */
        public function interrupt(): void {}

        /** The fuel left, or null when the instance was made without `$fuel`. */
        public function getFuel(): ?int {}

        /**
         * Adds fuel (also from an import, to let the call that called it go on).
         *
         * @return int The fuel left now.
         * @throws Exception\WasmException The instance was made without fuel.
         * @throws \ValueError $units is negative.
         */
        public function addFuel(int $units): int {}

        /** The module this instance was made from. */
        public function module(): Module {}
    }

    /**
     * A compiled WebAssembly module, independent of any instance, instantiable many times.
     *
     * Compiling goes through the process's module cache: the same bytes compiled again in
     * this process (a later request of the same PHP-FPM worker) are not compiled again, and
     * with the ini setting `wasm.cache_dir` compiled modules are kept on disk for every PHP
     * process. `wasm.cache_size` bounds the memory cache (default "256M").
     */
    class Module
    {
        /**
         * @param string $pathOrBytes The path of a .wasm file, the bytes of a module, or
         *                            WebAssembly text (a string starting with "(").
         *
         * @throws Exception\CompileError
         * @throws Exception\WasmException The file cannot be read.
         */
        public function __construct(string $pathOrBytes) {}

        /**
         * Compiles the .wasm file at `$path`.
         *
         * @throws Exception\CompileError The file is empty or not a valid module (the message names the path).
         * @throws Exception\WasmException The file cannot be read (the message names the path).
         */
        public static function fromFile(string $path): Module {}

        /**
         * Compiles a module given as bytes: binary, or WebAssembly text.
         *
         * @throws Exception\CompileError
         */
        public static function fromBytes(string $bytes): Module {}

        /**
         * The compiled module as bytes, for `Module::deserialize()` in this process or another
         * one running the same extension build on the same kind of CPU.
         */
        public function serialize(): string {}

        /**
         * The module `serialize()` made, without compiling it again. Only for bytes from a
         * trusted source: they hold machine code that runs as it is (a checksum catches
         * damage, not tampering).
         *
         * @throws Exception\CompileError Not a serialized module, truncated or corrupted, or
         *         made by another extension version or for another CPU (the message says which).
         */
        public static function deserialize(string $bytes): Module {}

        /**
         * What the process's module cache has done so far.
         *
         * @return array{compiled: int, memory_hits: int, disk_hits: int}
         */
        public static function cacheStats(): array {}

        /** Whether `$bytes` are a valid module the engine can run, without compiling them. */
        public static function validate(string $bytes): bool {}

        /**
         * Instantiates the module; `$imports` as for `new Instance()`.
         *
         * @param array<string, array<string, callable|HostFunction|Memory|GlobalVariable|Table|int|float>> $imports
         *
         * @throws Exception\LinkError
         * @throws Exception\Trap The start function trapped.
         */
        public function instantiate(array $imports = []): Instance {}

        /**
         * The exports: name => type, e.g. `"sum" => "func(i32, i32) -> i32"`, `"memory" => "memory(1)"`.
         *
         * @return array<string, string>
         */
        public function exports(): array {}

        /**
         * The imports, in the module's order.
         *
         * @return list<array{module: string, name: string, type: string, kind: 'function'|'memory'|'table'|'global'}>
         */
        public function imports(): array {}
    }

    /**
     * A linear memory: bytes as binary-safe PHP strings, `$memory[$i]` for one byte (an int
     * from 0 to 255), `count($memory)` for its size in bytes. Accesses outside the memory
     * throw \OutOfBoundsException.
     *
     * @implements \ArrayAccess<int, int>
     */
    class Memory implements \ArrayAccess, \Countable
    {
        /**
         * A memory of `$minimum` 64 KiB pages, growable up to `$maximum` pages, to give as an import.
         *
         * @throws \ValueError
         */
        public function __construct(int $minimum, ?int $maximum = null) {}

        /**
         * `$length` bytes at `$offset`.
         *
         * @throws \OutOfBoundsException
         * @throws \ValueError `$length` is negative.
         */
        public function read(int $offset, int $length): string {}

        /**
         * Writes `$bytes` at `$offset`.
         *
         * @throws \OutOfBoundsException
         */
        public function write(int $offset, string $bytes): void {}

        /**
         * The bytes from `$offset` up to the first NUL byte (or the end of the memory).
         *
         * @throws \OutOfBoundsException
         */
        public function readCString(int $offset): string {}

        /**
         * Typed reads, little-endian as wasm stores them: a signed or unsigned integer of 8,
         * 16, 32 bits, a 64-bit integer, a 32 or 64-bit float at `$offset`.
         *
         * @throws \OutOfBoundsException The value would not be inside the memory.
         */
        public function readI8(int $offset): int {}
        public function readU8(int $offset): int {}
        public function readI16(int $offset): int {}
        public function readU16(int $offset): int {}
        public function readI32(int $offset): int {}
        public function readU32(int $offset): int {}
        public function readI64(int $offset): int {}
        public function readF32(int $offset): float {}
        public function readF64(int $offset): float {}

        /**
         * Typed writes, little-endian. Integers of 8, 16 and 32 bits take a signed or an
         * unsigned value (writeI8: -128 to 255; writeI32: -2**31 to 2**32-1, as i32
         * arguments); writeF32 rounds to the nearest 32-bit float.
         *
         * @throws \OutOfBoundsException The value would not be inside the memory.
         * @throws \ValueError $value does not fit in the width.
         */
        public function writeI8(int $offset, int $value): void {}
        public function writeI16(int $offset, int $value): void {}
        public function writeI32(int $offset, int $value): void {}
        public function writeI64(int $offset, int $value): void {}
        public function writeF32(int $offset, float $value): void {}
        public function writeF64(int $offset, float $value): void {}

        /** The size in bytes. */
        public function size(): int {}

        /** The size in 64 KiB pages. */
        public function pages(): int {}

        /** The maximum size in pages, or null when there is none. */
        public function maximum(): ?int {}

        /**
         * Grows the memory by `$pages` pages and returns the previous number of pages.
         *
         * @throws Exception\WasmException Growing past the maximum.
         * @throws \ValueError `$pages` is negative.
         */
        public function grow(int $pages): int {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /**
         * @param int $offset
         * @return int From 0 to 255.
         *
         * @throws \OutOfBoundsException
         * @throws \TypeError
         */
        public function offsetGet(mixed $offset): int {}

        /**
         * @param int $offset
         * @param int $value From 0 to 255.
         *
         * @throws \OutOfBoundsException
         * @throws \TypeError
         * @throws \ValueError
         */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** @throws Exception\WasmException Always: bytes cannot be removed. */
        public function offsetUnset(mixed $offset): void {}

        /** The size in bytes. */
        public function count(): int {}
    }

    /**
     * A global variable of an instance, or one made to be imported. (Not `Wasm\Global`:
     * `global` is a reserved word in PHP.)
     */
    class GlobalVariable
    {
        /**
         * @param 'i32'|'i64'|'f32'|'f64'|'v128' $type
         *
         * @throws \ValueError
         * @throws \TypeError
         */
        public function __construct(string $type, mixed $value, bool $mutable = false) {}

        /** The value: an int for i32/i64, a float for f32/f64, a 16-byte string for v128. */
        public function get(): mixed {}

        /**
         * Sets the value, converted like a function argument.
         *
         * @throws Exception\WasmException The global is immutable.
         * @throws \TypeError
         * @throws \ValueError
         */
        public function set(mixed $value): void {}

        public function isMutable(): bool {}

        /** @return 'i32'|'i64'|'f32'|'f64'|'v128'|'funcref'|'externref' */
        public function type(): string {}
    }
}

    /**
     * What a WASI (wasm32-wasip1) program is given, and running it:
     *
     *     $wasi = new Wasm\Wasi(args: ['prog', '--flag'], env: ['KEY' => 'value'],
     *                           preopens: ['/data' => '/host/dir'], stdin: 'input bytes');
     *     $status = $wasi->run('prog.wasm');   // the exit status
     *     echo $wasi->stdout();
     *
     * The program reaches the host's files only below its preopened directories: `..`,
     * absolute paths and symlinks cannot lead out of them.
     */
    class Wasi
    {
        /**
         * @param list<string>|null $args argv, the program's name first.
         * @param array<string, string>|null $env The environment, and only it (the process's
         *        own is not passed on).
         * @param array<string, string|array{path: string, readonly?: bool}>|null $preopens
         *        Guest path => host directory, or => `['path' => '/host/dir', 'readonly' => true]`.
         * @param string|resource|null $stdin The bytes the program reads (null: none), or a
         *        stream such as STDIN for the process's own standard input.
         * @param 'capture'|'inherit'|'discard'|null $stdout Captured (default, read with
         *        stdout()), the process's own, or thrown away.
         * @param 'capture'|'inherit'|'discard'|null $stderr As $stdout.
         *
         * @throws \TypeError An argument, variable or path is not a string.
         * @throws \ValueError A preopen cannot be opened, a variable name has `=` or NUL, a
         *         stream option is unknown (the message names the option).
         */
        public function __construct(?array $args = null, ?array $env = null, ?array $preopens = null, mixed $stdin = null, ?string $stdout = null, ?string $stderr = null) {}

        /**
         * Instantiates a command module with this context (and `$imports` for anything else
         * it imports), runs its `_start` and returns its exit status: 0 when `_start`
         * returns, `n` after `proc_exit(n)`.
         *
         * @param array<string, array<string, callable|HostFunction|Memory|GlobalVariable|Table|int|float>> $imports
         *
         * @throws Exception\CompileError
         * @throws Exception\LinkError
         * @throws Exception\Trap
         */
        public function run(Module|string $pathOrBytesOrModule, array $imports = []): int {}

        /** What the program wrote to its standard output, when captured. */
        public function stdout(): string {}

        /** What the program wrote to its standard error, when captured. */
        public function stderr(): string {}
    }

    /**
     * A wasm function held as a value: a funcref from a table, a global, a result or an
     * import's argument. Call it like a closure, `$f(1, 2)`, with the conversions of
     * Instance::call; give it back to wasm where a funcref is expected.
     */
    class Func
    {
        /** Not constructible: funcrefs come from wasm. @throws \Exception */
        public function __construct() {}

        /**
         * @return int|float|string|Func|list<int|float|string|Func|null>|null
         *
         * @throws \ArgumentCountError
         * @throws \TypeError
         * @throws \ValueError
         * @throws Exception\Trap
         */
        public function __invoke(mixed ...$args): mixed {}

        /** The signature, e.g. "func(i32, i32) -> i32". */
        public function type(): string {}
    }

    /**
     * A table of an instance: references to functions (Func or null).
     */
    class Table
    {
        /**
         * A table of `$minimum` null elements of `$type`, growable up to `$maximum`, to give
         * as an import (instances importing it are made in its store, like a Memory's).
         *
         * @param 'funcref'|'externref' $type
         *
         * @throws \ValueError
         */
        public function __construct(int $minimum, ?int $maximum = null, string $type = 'funcref') {}

        /** The number of elements. */
        public function size(): int {}

        /**
         * The element at `$index`.
         *
         * @throws \OutOfBoundsException
         */
        public function get(int $index): mixed {}

        /**
         * Sets the element at `$index`: a Func (of the same store) or null in a table of
         * funcref, any value in a table of externref.
         *
         * @throws \OutOfBoundsException
         * @throws \TypeError $value is not a Func or null for a table of funcref.
         * @throws \ValueError The function belongs to another store.
         */
        public function set(int $index, mixed $value): void {}

        /**
         * Adds `$delta` elements set to `$init`; returns the previous size.
         *
         * @throws \ValueError $delta is negative.
         * @throws Exception\WasmException Past the table's maximum.
         */
        public function grow(int $delta, mixed $init = null): int {}

        /** The type, e.g. "table(2, funcref)". */
        public function type(): string {}
    }

    /**
     * An import that wants to see its caller: `$callable` gets a Caller before the wasm
     * arguments.
     *
     *     $imports = ['env' => ['log' => Wasm\HostFunction::withCaller(
     *         function (Wasm\Caller $caller, int $ptr, int $len): void {
     *             echo $caller->memory()->read($ptr, $len);
     *         })]];
     */
    class HostFunction
    {
        /** Not constructible: use withCaller(). @throws \Exception */
        public function __construct() {}

        /** @throws \TypeError $callable is not callable. */
        public static function withCaller(callable $callable): HostFunction {}
    }

    /**
     * The instance whose wasm called a host function made with HostFunction::withCaller
     * (also while its start function runs). Usable only while that host function runs: kept
     * and used later, each method throws Exception\WasmException.
     */
    class Caller
    {
        /** Not constructible: the extension makes them. @throws \Exception */
        public function __construct() {}

        /**
         * The calling instance's first exported memory.
         *
         * @throws Exception\WasmException It exports no memory.
         */
        public function memory(): Memory {}

        /**
         * The calling instance's exported global `$name`.
         *
         * @throws Exception\WasmException It has no global export named `$name`.
         */
        public function global(string $name): GlobalVariable {}

        /**
         * Calls the calling instance's exported function `$name`, converting as
         * Instance::call does.
         *
         * @return int|float|string|list<int|float|string|null>|null
         *
         * @throws Exception\WasmException It has no function export named `$name`.
         * @throws \ArgumentCountError
         * @throws \TypeError
         * @throws \ValueError
         * @throws Exception\Trap
         */
        public function call(string $name, mixed ...$args): mixed {}
    }
}

namespace Wasm\Exception {

    /** The parent of the extension's exceptions. */
    class WasmException extends \RuntimeException {}

    /** The bytes are not a module the engine can run. */
    class CompileError extends WasmException {}

    /** An import is missing or unusable; the message names it as `module`.`field`. */
    class LinkError extends WasmException {}

    /** The wasm code trapped; the message names the trap and the wasm function. */
    class Trap extends WasmException
    {
        protected ?string $trapCode = null;
        protected ?string $functionName = null;
        /** @var list<array{function: int|null, name: string|null, offset: int|null}>|null */
        protected ?array $wasmBacktrace = null;

        /**
         * @return 'unreachable'|'memory_out_of_bounds'|'table_out_of_bounds'|'indirect_call_to_null'|'bad_signature'|'integer_overflow'|'integer_divide_by_zero'|'bad_conversion_to_integer'|'stack_overflow'|'interrupt'|'timeout'|'out_of_fuel'|''
         */
        public function getTrapCode(): string {}

        /** The wasm function the trap happened in (its name-section name where there is one). */
        public function getFunctionName(): ?string {}

        /**
         * The wasm call stack when it trapped, innermost frame first (at most 32 frames):
         * each frame's function index, its name (name section, else export, else
         * "func[N]") and the byte offset in the module of the instruction that trapped or
         * of the call the frame was in. A host function (an import that called wasm again)
         * is a frame whose function and name are null. The message shows the first 10.
         *
         * @return list<array{function: int|null, name: string|null, offset: int|null}>
         */
        public function getWasmBacktrace(): array {}
    }

    /**
     * A WASI program called `proc_exit(n)` in an export call (`Wasi::run` returns the status
     * instead). The status is also the exception's code. `exit` being a reserved word, name
     * the class fully qualified: `catch (\Wasm\Exception\Exit $e)`.
     */
    class Exit extends WasmException
    {
        public function getStatus(): int {}
    }
}
