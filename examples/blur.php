<?php
/*
 * SIMD: blur.wasm (from blur.c, built with -msimd128) blurs a 1024x1024 grayscale image in
 * its memory. PHP writes a gradient image in, runs the blur, and reads a row back; the same
 * code built without SIMD (blur_scalar.wasm) gives the same pixels, several times slower.
 *   php -d extension=wasm examples/blur.php
 */
const W = 1024;
$image = '';
for ($y = 0; $y < W; $y++) {
    $image .= str_repeat(chr($y & 0xff), W / 2) . str_repeat(chr(255 - ($y & 0xff)), W / 2);
}
foreach (['blur.wasm' => 'SIMD', 'blur_scalar.wasm' => 'scalar'] as $file => $kind) {
    $instance = new Wasm\Instance(__DIR__ . "/$file");
    $instance->memory()->write($instance->image(), $image);
    $start = hrtime(true);
    $sum = $instance->blur(20);
    $ms = (hrtime(true) - $start) / 1e6;
    $row = $instance->memory()->read($instance->result() + 300 * W + W / 2 - 3, 6);
    printf("%-6s: 20 blurs in %6.1f ms, pixel sum %d, pixels around the edge of row 300: %s\n",
        $kind, $ms, $sum, implode(' ', unpack('C*', $row)));
}
