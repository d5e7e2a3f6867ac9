/*
 * Linear-memory example, no libc: greet() returns a pointer into the
 * module's exported memory; string_length() counts bytes up to the NUL.
 * Rebuild with: sh examples/build-wasm.sh
 */

static const char hello[] = "Hello, World!";

__attribute__((export_name("greet")))
const char *greet(void)
{
    return hello;
}

__attribute__((export_name("string_length")))
int string_length(const char *p)
{
    int n = 0;
    while (p[n] != '\0')
        n++;
    return n;
}
