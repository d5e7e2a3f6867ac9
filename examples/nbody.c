/*
 * n-body: the classic 5-body simulation (Sun, Jupiter, Saturn, Uranus,
 * Neptune) with the constants of the Computer Language Benchmarks Game,
 * in f64, with no libc. The operation order follows the simple C version
 * of the benchmark, so results match it bit for bit.
 *
 * Rebuild the .wasm (no imports; exports memory, init, step, energy):
 *   sh examples/build-wasm.sh
 * which runs, for this file (clang 14 + lld-14 from Debian):
 *   clang --target=wasm32 -O2 -nostdlib -fno-builtin -ffp-contract=off \
 *     -fuse-ld=/usr/bin/wasm-ld-14 -Wl,--no-entry -Wl,--export-dynamic \
 *     -Wl,--allow-undefined -Wl,--strip-all -o nbody.wasm nbody.c
 * (run in examples/; the module must still have no imports).
 *
 * Exports:
 *   void   init(void)    reset the bodies and offset the momentum
 *   double step(int n)   advance n steps of dt = 0.01, return the energy
 *   double energy(void)  current energy
 *
 * After init(): energy() = -0.169075164; after step(1000): -0.169087605.
 */

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

#define NBODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define DT 0.01

struct body {
    double x, y, z;
    double vx, vy, vz;
    double mass;
};

static const struct body initial[NBODIES] = {
    /* Sun */
    { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS },
    /* Jupiter */
    { 4.84143144246472090e+00,
      -1.16032004402742839e+00,
      -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR,
      7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR,
      9.54791938424326609e-04 * SOLAR_MASS },
    /* Saturn */
    { 8.34336671824457987e+00,
      4.12479856412430479e+00,
      -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR,
      4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR,
      2.85885980666130812e-04 * SOLAR_MASS },
    /* Uranus */
    { 1.28943695621391310e+01,
      -1.51111514016986312e+01,
      -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR,
      2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR,
      4.36624404335156298e-05 * SOLAR_MASS },
    /* Neptune */
    { 1.53796971148509165e+01,
      -2.59193146099879641e+01,
      1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR,
      1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR,
      5.15138902046611451e-05 * SOLAR_MASS },
};

/* The live state, in linear memory. */
static struct body bodies[NBODIES];

static void advance(void)
{
    int i, j;
    for (i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        for (j = i + 1; j < NBODIES; j++) {
            struct body *b2 = &bodies[j];
            double dx = b->x - b2->x;
            double dy = b->y - b2->y;
            double dz = b->z - b2->z;
            double distance = __builtin_sqrt(dx * dx + dy * dy + dz * dz);
            double mag = DT / (distance * distance * distance);
            b->vx -= dx * b2->mass * mag;
            b->vy -= dy * b2->mass * mag;
            b->vz -= dz * b2->mass * mag;
            b2->vx += dx * b->mass * mag;
            b2->vy += dy * b->mass * mag;
            b2->vz += dz * b->mass * mag;
        }
    }
    for (i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        b->x += DT * b->vx;
        b->y += DT * b->vy;
        b->z += DT * b->vz;
    }
}

EXPORT("energy")
double energy(void)
{
    double e = 0.0;
    int i, j;
    for (i = 0; i < NBODIES; i++) {
        const struct body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (j = i + 1; j < NBODIES; j++) {
            const struct body *b2 = &bodies[j];
            double dx = b->x - b2->x;
            double dy = b->y - b2->y;
            double dz = b->z - b2->z;
            double distance = __builtin_sqrt(dx * dx + dy * dy + dz * dz);
            e -= (b->mass * b2->mass) / distance;
        }
    }
    return e;
}

EXPORT("init")
void init(void)
{
    double px = 0.0, py = 0.0, pz = 0.0;
    int i;
    /* Field by field, so the compiler never needs a memcpy import. */
    for (i = 0; i < NBODIES; i++) {
        bodies[i].x = initial[i].x;
        bodies[i].y = initial[i].y;
        bodies[i].z = initial[i].z;
        bodies[i].vx = initial[i].vx;
        bodies[i].vy = initial[i].vy;
        bodies[i].vz = initial[i].vz;
        bodies[i].mass = initial[i].mass;
    }
    for (i = 0; i < NBODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

EXPORT("step")
double step(int n)
{
    int i;
    for (i = 0; i < n; i++)
        advance();
    return energy();
}
