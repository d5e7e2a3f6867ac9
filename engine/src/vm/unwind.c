/* The one piece of the engine in C: setjmp cannot be called soundly from Rust, and traps leave
 * JIT frames by longjmp from the signal handler back to the call that entered wasm. */
#include <setjmp.h>
#include <stddef.h>

typedef void (*engine_entry)(const void *code, void *vmctx, void *values);

/* Calls entry(code, vmctx, values) with *slot pointing at a jump buffer for the duration of the
 * call. Returns 1 when the call returned, 0 when engine_unwind jumped back here. */
int engine_invoke(engine_entry entry, const void *code, void *vmctx, void *values, void **slot) {
    sigjmp_buf buf;
    void *outer = *slot;
    /* The signal mask is not saved: the handler runs with SA_NODEFER, so no signal stays blocked. */
    if (sigsetjmp(buf, 0) == 0) {
        *slot = &buf;
        entry(code, vmctx, values);
        *slot = outer;
        return 1;
    }
    *slot = outer;
    return 0;
}

void engine_unwind(void *buf) {
    siglongjmp(*(sigjmp_buf *)buf, 1);
}
