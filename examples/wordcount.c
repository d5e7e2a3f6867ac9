/* wordcount: a WASI command (wasm32-wasi), like `wc`. Counts the lines, words and bytes of
 * each file named on the command line (paths the host has preopened), or of its standard
 * input when given none, and prints them as wc does, with a total for several files.
 * Exit status: 0, or 1 when a file could not be opened (the reason goes to stderr).
 *
 * Build (Debian: clang, lld-14, wasi-libc, libclang-rt-14-dev-wasm32):
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 -fuse-ld=/usr/bin/wasm-ld-14 \
 *         -o wordcount.wasm wordcount.c          (examples/build-wasm.sh does it)
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct counts {
    unsigned long lines, words, bytes;
};

static struct counts count(FILE *f) {
    struct counts c = {0, 0, 0};
    int in_word = 0, ch;
    while ((ch = getc(f)) != EOF) {
        c.bytes++;
        if (ch == '\n') c.lines++;
        if (isspace(ch)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            c.words++;
        }
    }
    return c;
}

static void print(struct counts c, const char *name) {
    printf("%7lu %7lu %7lu", c.lines, c.words, c.bytes);
    if (name) printf(" %s", name);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print(count(stdin), NULL);
        return 0;
    }
    struct counts total = {0, 0, 0};
    int status = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "wordcount: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        struct counts c = count(f);
        fclose(f);
        print(c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (argc > 2) print(total, "total");
    return status;
}
