/*
 * Native baseline for the blur example (examples/blur.c), built by `cargo bench` with
 *   clang -O2 -o /tmp/blur_native bench/blur_native.c
 * (SSE2, the x86-64 baseline: 128-bit vectors, as wasm SIMD).
 *   /tmp/blur_native [ROUNDS]     (default 100)
 * Prints "checksum <sum>" and "native_seconds <s>" for blur(ROUNDS) after fill(1).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../examples/blur.c"

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    struct timespec t0, t1;
    unsigned sum;

    fill(1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sum = blur(rounds);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("checksum %u\n", sum);
    printf("native_seconds %.4f\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return 0;
}
