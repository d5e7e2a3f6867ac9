/*
 * Loop kernels for the benchmarks: tight loops with no calls, so they measure what a loop
 * iteration costs beyond its own work (the interrupt check, memory bounds). Built to
 * bench/loops.wasm by examples/build-wasm.sh, natively by bench/loops_native.c.
 *
 *   sieve(n, rounds): the primes below n (n <= SIEVE_MAX), counted, `rounds` times.
 *   copy(n, rounds):  a byte-by-byte copy of n bytes (n <= COPY_MAX), `rounds` times, and a
 *                     checksum of the copies.
 */
#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

#define SIEVE_MAX 1000000
#define COPY_MAX 1000000

static unsigned char composite[SIEVE_MAX];
static unsigned char from[COPY_MAX], to[COPY_MAX];

EXPORT("sieve")
int sieve(int n, int rounds)
{
    int count = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            composite[i] = 0;
        count = 0;
        for (int i = 2; i < n; i++) {
            if (composite[i])
                continue;
            count++;
            for (int j = 2 * i; j < n; j += i)
                composite[j] = 1;
        }
    }
    return count;
}

EXPORT("copy")
unsigned copy(int n, int rounds)
{
    unsigned sum = 0;
    for (int i = 0; i < n; i++)
        from[i] = (unsigned char)(i * 7 + 3);
    for (int r = 0; r < rounds; r++) {
        /* volatile stores keep the compiler from turning the loop into memcpy */
        volatile unsigned char *dst = to;
        for (int i = 0; i < n; i++)
            dst[i] = from[i];
        sum = sum * 31 + to[(unsigned)r * 7919u % (unsigned)n];
    }
    return sum;
}
