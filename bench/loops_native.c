/*
 * Native baseline for bench/loops.c.
 *   clang -O2 -o /tmp/loops_native bench/loops_native.c
 *   /tmp/loops_native sieve|copy N ROUNDS
 * Prints "result <r>" and "native_seconds <s>" of the second of two runs.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loops.c"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s sieve|copy N ROUNDS\n", argv[0]);
        return 2;
    }
    unsigned (*volatile kernel)(int, int) =
        strcmp(argv[1], "sieve") == 0 ? (unsigned (*)(int, int))sieve : copy;
    int n = atoi(argv[2]), rounds = atoi(argv[3]);
    struct timespec t0, t1;
    unsigned r;

    kernel(n, rounds); /* warm, as the engine and Wasmtime runs are */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = kernel(n, rounds);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("result %u\n", r);
    printf("native_seconds %.4f\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return 0;
}
