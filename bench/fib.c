/*
 * A recursive kernel for the benchmarks: almost nothing but calls, so it measures what every
 * function entry costs (the stack-limit and interrupt checks). Built to bench/fib.wasm by
 * examples/build-wasm.sh, natively by bench/fib_native.c.
 */
#ifdef __wasm__
__attribute__((export_name("fib")))
#endif
int fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
