/*
 * Host-import example, no libc: run(n) calls the host's env.add(n, 100),
 * passes the result to env.log_number, and returns it.
 * Rebuild with: sh examples/build-wasm.sh
 */

__attribute__((import_module("env"), import_name("log_number")))
void log_number(int);

__attribute__((import_module("env"), import_name("add")))
int add(int, int);

__attribute__((export_name("run")))
int run(int n)
{
    int r = add(n, 100);
    log_number(r);
    return r;
}
