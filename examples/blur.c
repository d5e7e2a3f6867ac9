/*
 * blur: a 3x3 Gaussian blur (weights 1 2 1 / 2 4 2 / 1 2 1, divided by 16) over a 1024x1024
 * 8-bit grayscale image, in plain C that compilers vectorise. Built twice by build-wasm.sh:
 * blur.wasm with -msimd128 (the loop becomes 128-bit SIMD) and blur_scalar.wasm without, to
 * measure what SIMD buys (`make bench`); bench/blur_native.c runs the same code natively.
 *
 * Exports:
 *   unsigned char *image(void)   the source image, W*H bytes, row by row
 *   void     fill(unsigned seed)  fill the source with pseudo-random pixels
 *   unsigned blur(int rounds)     blur the source into the destination `rounds` times;
 *                                 returns the sum of the destination's pixels
 *   unsigned char *result(void)  the destination image
 *
 * After fill(1): blur(1) = 132728071.
 */
#define W 1024
#define H 1024
#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

static unsigned char src[W * H];
static unsigned char dst[W * H];

EXPORT("image") unsigned char *image(void) { return src; }
EXPORT("result") unsigned char *result(void) { return dst; }

EXPORT("fill") void fill(unsigned seed)
{
    for (int i = 0; i < W * H; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = (unsigned char)(seed >> 16);
    }
}

typedef const unsigned char *restrict row_t;

/*
 * One output row from the nine input rows it reads, each passed as its own pointer. With
 * a[x - 1], a[x], a[x + 1] written on one pointer, clang 14 keeps the loaded pixels from one
 * iteration to the next, a recurrence its vectoriser gives up on; nine distinct pointers
 * (read-only, so `restrict` holds although they overlap) vectorise 16 pixels at a time.
 * Sums of at most 16 * 255 fit in 16 bits: the compiler may use lanes of u16.
 */
__attribute__((noinline)) static void blur_row(row_t a0, row_t a1, row_t a2, row_t b0, row_t b1,
                                               row_t b2, row_t c0, row_t c1, row_t c2,
                                               unsigned char *restrict out, int n)
{
    for (int x = 0; x < n; x++) {
        unsigned short s = (unsigned short)(a0[x] + 2 * a1[x] + a2[x]
            + 2 * b0[x] + 4 * b1[x] + 2 * b2[x]
            + c0[x] + 2 * c1[x] + c2[x]);
        out[x] = (unsigned char)(s >> 4);
    }
}

static void blur_once(void)
{
    for (int y = 1; y < H - 1; y++) {
        const unsigned char *a = src + (y - 1) * W, *b = src + y * W, *c = src + (y + 1) * W;
        blur_row(a, a + 1, a + 2, b, b + 1, b + 2, c, c + 1, c + 2, dst + y * W + 1, W - 2);
    }
}

EXPORT("blur") unsigned blur(int rounds)
{
    unsigned sum = 0;
    for (int r = 0; r < rounds; r++)
        blur_once();
    for (int i = 0; i < W * H; i++)
        sum += dst[i];
    return sum;
}
