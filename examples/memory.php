<?php
/*
 * Linear memory as PHP strings: greet() in memory.wasm (from memory.c) returns a pointer to
 * "Hello, World!" in the module's memory; string_length(ptr) counts its bytes.
 *   php -d extension=wasm examples/memory.php
 */
$instance = new Wasm\Instance(__DIR__ . '/memory.wasm');
$memory = $instance->memory();
$pointer = $instance->greet();
$greeting = $memory->readCString($pointer);
printf(
    "greet() = 0x%x: \"%s\" (%d bytes, string_length says %d)\n",
    $pointer,
    $greeting,
    strlen($greeting),
    $instance->string_length($pointer)
);
