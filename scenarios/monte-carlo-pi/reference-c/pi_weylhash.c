/* The Monte Carlo pi generator of scenarios/monte-carlo-pi/generator.ts in C, scalar, one
 * thread: a yardstick for the ts backend (same generator, same hits) and an independent
 * implementation of the spec.
 *   gcc -O3 -march=native -fno-tree-vectorize -o /tmp/pi_weylhash pi_weylhash.c && /tmp/pi_weylhash 1e8 12345
 *   (without -fno-tree-vectorize gcc vectorizes the loop: a SIMD yardstick for the wasm backend)
 * Prints one JSON line: n, seed, hits, ns_per_sample (second of two calls). n <= 2^31 here
 * (one generator block), which covers the sweep 10^3..10^9. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PHI 0x9e3779b9u

static inline uint32_t lowbias32(uint32_t x) {
    x ^= x >> 16; x *= 0x7feb352du; x ^= x >> 15; x *= 0x846ca68bu; x ^= x >> 16;
    return x;
}

static int64_t hits(uint32_t seed, int64_t n) {
    uint32_t c = lowbias32(lowbias32(seed) + 1u * PHI);   /* block 0 key */
    int64_t misses = 0;
    for (int64_t j = 0; j < n; j++, c += 2u * PHI) {
        double x = (double)(lowbias32(c) >> 8) * (1.0 / 16777216.0);
        double y = (double)(lowbias32(c + PHI) >> 8) * (1.0 / 16777216.0);
        misses += (int64_t)(x * x + y * y);                 /* 1 for a miss, 0 for a hit */
    }
    return n - misses;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? (int64_t)strtod(argv[1], NULL) : 100000000;
    uint32_t seed = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 12345u;
    if (n <= 0 || n > 2147483648LL) { fprintf(stderr, "n must be in 1..2^31\n"); return 2; }
    volatile uint32_t vseed = seed;                          /* keep the calls from folding */
    int64_t h1 = hits(vseed, n);
    double t0 = now();
    int64_t h2 = hits(vseed, n);
    double s = now() - t0;
    if (h1 != h2) { fprintf(stderr, "non-deterministic\n"); return 1; }
    printf("{\"impl\":\"c-weylhash-scalar\",\"n\":%lld,\"seed\":%u,\"hits\":%lld,\"ns_per_sample\":%.3f}\n",
           (long long)n, seed, (long long)h2, s / (double)n * 1e9);
    return 0;
}
