/*
 * Native baseline for the n-body example.
 *   clang -O2 -o /tmp/nbody_native bench/nbody_native.c -lm
 *   /tmp/nbody_native [N]     (default N = 5000000)
 * Prints "result <energy>" and "native_seconds <s>" for step(N) after init().
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../examples/nbody.c"

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5000000;
    struct timespec t0, t1;
    double e, secs;

    init();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    e = step(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("result %.9f\n", e);
    printf("native_seconds %.4f\n", secs);
    return 0;
}
