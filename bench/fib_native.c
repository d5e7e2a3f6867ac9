/*
 * Native baseline for bench/fib.c.
 *   clang -O2 -o /tmp/fib_native bench/fib_native.c
 *   /tmp/fib_native [N]     (default N = 35)
 * Prints "result <fib(N)>" and "native_seconds <s>".
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fib.c"

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 35;
    struct timespec t0, t1;
    int (*volatile kernel)(int) = fib; /* so that the call is not folded away */
    int r;

    kernel(n); /* warm, as the engine and Wasmtime runs are */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = kernel(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("result %d\n", r);
    printf("native_seconds %.4f\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return 0;
}
