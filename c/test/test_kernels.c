/*
 * test_kernels.c - every supported variant against the scalar reference
 * and against a compensated, nearly exact value, within the bounds that
 * zerocall.h states.
 *
 * Sizes straddle every block width (4 and 16 for avx2, 8 and 32 for
 * avx512), so main loops, short loops and scalar tails all run. Each input
 * is tried 64-byte aligned (zc_alloc) and offset: 8 bytes past malloc's
 * 16-byte alignment and ending exactly where its allocation ends, so that
 * AddressSanitizer sees any read past the last element. Outputs are
 * followed by canaries. The last line printed is "P passed, F failed".
 */
#if defined(__unix__)
#define _POSIX_C_SOURCE 200809L /* pthreads, under -std=c11 */
#include <pthread.h>
#endif
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerocall.h"

static unsigned passed, failed;
static char ctx[160]; /* the case under test, named by failures */

#define CHECK(cond) check((cond), #cond, __LINE__)

static void check(int ok, const char *expr, int line)
{
    if (ok)
        passed++;
    else if (failed++ < 30)
        printf("FAIL line %d: %s [%s]\n", line, expr, ctx);
}

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

static const double canary = 0x1.deadbeefp+99;
static const double u = 0x1p-53; /* unit roundoff */

/* --- data --------------------------------------------------------------- */

static uint64_t rng = 88172645463325252u; /* xorshift64 state */

/* Uniform in [-1, 1). */
static double rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1p-52 - 1.0;
}

enum kind { UNIFORM, MIXED, SUBNORMAL, TRUE_MIN, NKINDS };
static const char *const kind_names[NKINDS] = {
    "uniform", "mixed", "subnormal", "true_min"};

static double draw(enum kind kind)
{
    double r = rnd();
    switch (kind) {
    case UNIFORM:
        return r;
    case MIXED: /* magnitudes from 2^-40 to 2^40 */
        return ldexp(r, (int)(rng % 81) - 40);
    case SUBNORMAL: /* DBL_MIN, DBL_TRUE_MIN or a subnormal in between */
        switch (rng % 3) {
        case 0:
            return DBL_MIN;
        case 1:
            return -DBL_TRUE_MIN;
        default:
            return DBL_MIN * r;
        }
    default:
        return DBL_TRUE_MIN;
    }
}

static void fill(double *x, size_t n, enum kind kind)
{
    for (size_t i = 0; i < n; i++)
        x[i] = draw(kind);
}

static void fill_canary(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = canary;
}

static int all_canary(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != canary)
            return 0;
    return 1;
}

static int equal(const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

/* --- buffers ------------------------------------------------------------ */

enum layout { ALIGNED, OFFSET, NLAYOUTS };
static const char *const layout_names[NLAYOUTS] = {"aligned", "offset"};

/* n zeroed doubles in the given layout; ALIGNED gives NULL for n == 0,
 * which also checks that kernels do not touch their pointers then. */
static double *buf_new(size_t n, enum layout layout)
{
    double *p;
    if (layout == ALIGNED) {
        p = zc_alloc(n);
    } else {
        p = calloc(n + 1, sizeof(double));
        if (p != NULL)
            p++;
    }
    if (n > 0 && p == NULL) {
        printf("out of memory\n");
        exit(2);
    }
    return p;
}

static void buf_free(double *p, enum layout layout)
{
    if (layout == ALIGNED)
        zc_free(p);
    else
        free(p - 1);
}

/* --- the nearly exact value ---------------------------------------------- */

/* A Neumaier-compensated sum of terms (s + c), and the sum of their
 * magnitudes (abs) for the bound. */
typedef struct {
    double s, c, abs;
} exact_sum;

static void neumaier(exact_sum *e, double t)
{
    double s = e->s + t;
    e->c += fabs(e->s) >= fabs(t) ? (e->s - s) + t : (t - s) + e->s;
    e->s = s;
}

static void add_term(exact_sum *e, double t)
{
    neumaier(e, t);
    e->abs += fabs(t);
}

/* x*y enters exactly (unless it underflows): its rounded value, then its
 * rounding error. */
static void add_product(exact_sum *e, double x, double y)
{
    double p = x * y;
    neumaier(e, p);
    neumaier(e, fma(x, y, -p));
    e->abs += fabs(p);
}

static double value(const exact_sum *e)
{
    return e->s + e->c;
}

/* The header's bound on two results of a reduction of n terms whose
 * magnitudes add up to abs, with the underflow allowance doubled. */
static int within(double got, double want, size_t n, double abs)
{
    double tol = 2.0 * (double)n * u * abs + 2.0 * (double)n * DBL_TRUE_MIN;
    return fabs(got - want) <= tol;
}

/* --- kernels on finite data --------------------------------------------- */

static const size_t vec_sizes[] = {0,  1,  2,  3,  4,  5,   7,    8,     9, 15, 16,
                                   17, 31, 32, 33, 63, 64, 65, 100, 1000, 100003};

/* axpy into a separate out, then in place over y and over x: the three
 * must agree exactly, and each value lie within the header's bound. */
static void test_axpy(const zc_kernels *t, const zc_kernels *ref,
                      const double *x, const double *y, size_t n,
                      enum layout layout)
{
    double a = rnd();
    double *out = buf_new(n + 1, layout), *want = buf_new(n, layout);
    double *w = buf_new(n + 1, layout);
    fill_canary(out, n + 1);
    t->axpy(a, x, y, out, n);
    ref->axpy(a, x, y, want, n);
    int near_ref = 1, near_exact = 1;
    for (size_t i = 0; i < n; i++) {
        double tol = 4 * u * (fabs(a * x[i]) + fabs(y[i])) + 2 * DBL_TRUE_MIN;
        near_ref &= fabs(out[i] - want[i]) <= tol;
        near_exact &= fabs(out[i] - fma(a, x[i], y[i])) <= tol;
    }
    CHECK(near_ref);
    CHECK(near_exact);
    CHECK(out[n] == canary);

    for (size_t i = 0; i < n; i++)
        w[i] = y[i];
    w[n] = canary;
    t->axpy(a, x, w, w, n); /* out == y */
    CHECK(equal(w, out, n) && w[n] == canary);
    for (size_t i = 0; i < n; i++)
        w[i] = x[i];
    t->axpy(a, w, y, w, n); /* out == x */
    CHECK(equal(w, out, n) && w[n] == canary);

    buf_free(out, layout);
    buf_free(want, layout);
    buf_free(w, layout);
}

static void test_vectors(const zc_kernels *t, const zc_kernels *ref)
{
    for (size_t si = 0; si < COUNTOF(vec_sizes); si++)
        for (int l = 0; l < NLAYOUTS; l++)
            for (int k = 0; k < NKINDS; k++) {
                size_t n = vec_sizes[si];
                snprintf(ctx, sizeof ctx, "%s sum/dot/axpy n=%zu %s %s",
                         t->name, n, layout_names[l], kind_names[k]);
                double *x = buf_new(n, l), *y = buf_new(n, l);
                fill(x, n, k);
                /* y stays normal so that x*y can round to a subnormal */
                fill(y, n, k >= SUBNORMAL ? UNIFORM : k);
                exact_sum es = {0}, ed = {0};
                for (size_t i = 0; i < n; i++) {
                    add_term(&es, x[i]);
                    add_product(&ed, x[i], y[i]);
                }
                double s = t->sum(x, n), d = t->dot(x, y, n);
                CHECK(within(s, ref->sum(x, n), n, es.abs));
                CHECK(within(s, value(&es), n, es.abs));
                CHECK(within(d, ref->dot(x, y, n), n, ed.abs));
                CHECK(within(d, value(&ed), n, ed.abs));
                test_axpy(t, ref, x, y, n, l);
                buf_free(x, l);
                buf_free(y, l);
            }
}

static void test_fir(const zc_kernels *t, const zc_kernels *ref)
{
    static const size_t ns[] = {0, 1, 2, 3, 15, 16, 17, 33, 100, 1000};
    static const size_t ks[] = {0, 1, 2, 3, 4, 5, 15, 16, 17, 33};
    for (size_t ni = 0; ni < COUNTOF(ns); ni++)
        for (size_t ki = 0; ki < COUNTOF(ks); ki++)
            for (int l = 0; l < NLAYOUTS; l++) {
                size_t n = ns[ni], k = ks[ki];
                size_t outs = k == 0 || k > n ? 0 : n - k + 1;
                snprintf(ctx, sizeof ctx, "%s fir n=%zu k=%zu %s", t->name,
                         n, k, layout_names[l]);
                double *x = buf_new(n, l), *taps = buf_new(k, l);
                double *out = buf_new(n + 1, l), *want = buf_new(n + 1, l);
                fill(x, n, l == ALIGNED ? UNIFORM : MIXED);
                fill(taps, k, UNIFORM);
                fill_canary(out, n + 1);
                CHECK(t->fir(x, n, taps, k, out) == outs);
                CHECK(ref->fir(x, n, taps, k, want) == outs);
                int near_ref = 1, near_exact = 1;
                for (size_t i = 0; i < outs; i++) {
                    exact_sum e = {0};
                    for (size_t j = 0; j < k; j++)
                        add_product(&e, taps[j], x[i + j]);
                    near_ref &= within(out[i], want[i], k, e.abs);
                    near_exact &= within(out[i], value(&e), k, e.abs);
                }
                CHECK(near_ref);
                CHECK(near_exact);
                CHECK(all_canary(out + outs, n + 1 - outs));
                buf_free(x, l);
                buf_free(taps, l);
                buf_free(out, l);
                buf_free(want, l);
            }
}

static void test_matmul(const zc_kernels *t, const zc_kernels *ref)
{
    static const size_t ms[] = {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 31, 33, 47, 64, 65, 100, 128, 257, 400};
    for (size_t mi = 0; mi < COUNTOF(ms); mi++)
        for (int l = 0; l < NLAYOUTS; l++) {
            size_t m = ms[mi], mm = m * m;
            snprintf(ctx, sizeof ctx, "%s matmul m=%zu %s", t->name, m,
                     layout_names[l]);
            double *a = buf_new(mm, l), *b = buf_new(mm, l);
            double *c = buf_new(mm + 1, l), *want = buf_new(mm, l);
            fill(a, mm, l == ALIGNED ? UNIFORM : MIXED);
            fill(b, mm, UNIFORM);
            fill_canary(c, mm + 1);
            t->matmul(a, b, c, m);
            ref->matmul(a, b, want, m);
            int near_ref = 1, near_exact = 1;
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < m; j++) {
                    exact_sum e = {0};
                    for (size_t p = 0; p < m; p++)
                        add_product(&e, a[i * m + p], b[p * m + j]);
                    near_ref &= within(c[i * m + j], want[i * m + j], m, e.abs);
                    near_exact &= within(c[i * m + j], value(&e), m, e.abs);
                }
            CHECK(near_ref);
            CHECK(near_exact);
            CHECK(c[mm] == canary);
            buf_free(a, l);
            buf_free(b, l);
            buf_free(c, l);
            buf_free(want, l);
        }
}

/* --- NaN and Inf ----------------------------------------------------------- */

/* out[i] is NaN exactly when lo <= i < hi. (isnan is nonzero for a NaN,
 * not 1: mingw-w64's is -1.) */
static int nan_exactly(const double *out, size_t n, size_t lo, size_t hi)
{
    for (size_t i = 0; i < n; i++)
        if ((isnan(out[i]) != 0) != (lo <= i && i < hi))
            return 0;
    return 1;
}

/* A NaN or Inf at position pos, at the start, middle and end, so that it
 * lands in a main loop, a short loop or a tail. y > 0 keeps signs. */
static void test_specials(const zc_kernels *t)
{
    static const size_t ns[] = {1, 2, 3, 5, 16, 17, 33, 100};
    for (size_t ni = 0; ni < COUNTOF(ns); ni++) {
        size_t n = ns[ni];
        double *x = buf_new(n, OFFSET), *y = buf_new(n, OFFSET);
        double *out = buf_new(n * n, OFFSET), *z = buf_new(n * n, OFFSET);
        double *w = buf_new(n * n, OFFSET);
        const size_t at[] = {0, n / 2, n - 1};
        for (size_t ai = 0; ai < COUNTOF(at); ai++) {
            size_t pos = at[ai], other = (pos + 1) % n;
            snprintf(ctx, sizeof ctx, "%s specials n=%zu pos=%zu", t->name,
                     n, pos);
            fill(x, n, UNIFORM);
            for (size_t i = 0; i < n; i++)
                y[i] = 1.0 + 0.5 * rnd();

            x[pos] = NAN;
            CHECK(isnan(t->sum(x, n)));
            CHECK(isnan(t->dot(x, y, n)));
            t->axpy(2.0, x, y, out, n);
            CHECK(nan_exactly(out, n, pos, pos + 1));
            for (size_t k = 1; k <= n && k <= 3; k += 2) {
                size_t outs = t->fir(x, n, y, k, out);
                CHECK(nan_exactly(out, outs, pos + 1 >= k ? pos + 1 - k : 0,
                                  pos + 1));
            }
            x[pos] = 0.5;
            y[pos] = NAN;
            CHECK(isnan(t->dot(x, y, n)));
            y[pos] = 0.0;
            x[pos] = INFINITY;
            CHECK(isnan(t->dot(x, y, n))); /* Inf * 0 */
            y[pos] = 1.0;
            CHECK(t->sum(x, n) == INFINITY);
            CHECK(t->dot(x, y, n) == INFINITY);
            x[pos] = -INFINITY;
            CHECK(t->sum(x, n) == -INFINITY);
            CHECK(t->dot(x, y, n) == -INFINITY);
            if (n > 1) {
                x[other] = INFINITY;
                CHECK(isnan(t->sum(x, n)));
                CHECK(isnan(t->dot(x, y, n)));
            }

            /* A NaN at [pos][other] spoils row pos of c when in a, and
             * column other when in b. */
            fill(w, n * n, UNIFORM);
            fill(z, n * n, UNIFORM);
            z[pos * n + other] = NAN;
            int row = 1, col = 1;
            t->matmul(z, w, out, n);
            for (size_t i = 0; i < n; i++)
                row &= nan_exactly(out + i * n, n, 0, i == pos ? n : 0);
            t->matmul(w, z, out, n);
            for (size_t i = 0; i < n; i++)
                col &= nan_exactly(out + i * n, n, other, other + 1);
            CHECK(row);
            CHECK(col);
        }
        buf_free(x, OFFSET);
        buf_free(y, OFFSET);
        buf_free(out, OFFSET);
        buf_free(z, OFFSET);
        buf_free(w, OFFSET);
    }
}

/* --- dispatch and allocation ----------------------------------------------- */

/* The first decision: the best supported variant, or the one that
 * ZEROCALL_VARIANT names when that one is supported. */
static void test_best(void)
{
    snprintf(ctx, sizeof ctx, "zc_kernels_best");
    const zc_kernels *best = zc_kernels_best();
    CHECK(best != NULL);
    if (best == NULL)
        return;
    CHECK(zc_kernels_for(best->variant) == best);
    const char *env = getenv("ZEROCALL_VARIANT");
    const zc_kernels *named = NULL;
    for (int v = ZC_VARIANT_SCALAR; v < ZC_VARIANT_COUNT; v++)
        if (zc_kernels_for(v) && env && strcmp(env, zc_variant_name(v)) == 0)
            named = zc_kernels_for(v);
    for (int v = best->variant + 1; v < ZC_VARIANT_COUNT && !named; v++)
        CHECK(zc_kernels_for(v) == NULL);
    CHECK(named == NULL || best == named);
    CHECK(zc_kernels_best() == best);
}

/* Forcing each supported variant routes the zc_* functions to it. */
static void test_force(void)
{
    enum { N = 37, M = 6 };
    double x[N], y[N], out[N], want[N], c[M * M], cwant[M * M];
    const zc_kernels *decided = zc_kernels_best(); /* nothing forced yet */
    fill(x, N, UNIFORM);
    fill(y, N, MIXED);
    for (int v = ZC_VARIANT_SCALAR; v < ZC_VARIANT_COUNT; v++) {
        const zc_kernels *t = zc_kernels_for(v);
        snprintf(ctx, sizeof ctx, "force %s", zc_variant_name(v));
        if (t == NULL) {
            const zc_kernels *before = zc_kernels_best();
            CHECK(zc_variant_force(v) == ZC_ERR_UNSUPPORTED);
            CHECK(zc_kernels_best() == before);
            continue;
        }
        CHECK(t->variant == (zc_variant)v);
        CHECK(strcmp(t->name, zc_variant_name(v)) == 0);
        CHECK(zc_variant_force(v) == ZC_OK);
        CHECK(zc_kernels_best() == t);
        CHECK(zc_sum(x, N) == t->sum(x, N));
        CHECK(zc_dot(x, y, N) == t->dot(x, y, N));
        zc_axpy(0.25, x, y, out, N);
        t->axpy(0.25, x, y, want, N);
        CHECK(equal(out, want, N));
        CHECK(zc_fir(x, N, y, 5, out) == N - 4);
        t->fir(x, N, y, 5, want);
        CHECK(equal(out, want, N - 4));
        zc_matmul(x, y, c, M);
        t->matmul(x, y, cwant, M);
        CHECK(equal(c, cwant, M * M));
    }
    /* Auto undoes a force: the dispatcher's choice, whatever was forced. */
    snprintf(ctx, sizeof ctx, "force auto");
    CHECK(zc_variant_force(ZC_VARIANT_SCALAR) == ZC_OK);
    CHECK(zc_variant_force(ZC_VARIANT_AUTO) == ZC_OK);
    CHECK(zc_kernels_best() == decided);
    snprintf(ctx, sizeof ctx, "force invalid");
    const zc_kernels *before = zc_kernels_best();
    CHECK(zc_variant_force(-1) == ZC_ERR_UNSUPPORTED);
    CHECK(zc_variant_force(99) == ZC_ERR_UNSUPPORTED);
    CHECK(zc_variant_force(ZC_VARIANT_SIMD128) == ZC_ERR_UNSUPPORTED);
    CHECK(zc_kernels_best() == before);
    CHECK(zc_kernels_for(-1) == NULL && zc_kernels_for(99) == NULL);
    CHECK(zc_kernels_for(ZC_VARIANT_SIMD128) == NULL);
    CHECK(zc_kernels_for(ZC_VARIANT_AUTO) == zc_kernels_best());
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_AUTO), "auto") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_SCALAR), "scalar") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_AVX2), "avx2") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_AVX512), "avx512") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_SIMD128), "simd128") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_NEON), "neon") == 0);
#if defined(__aarch64__)
    /* NEON is part of every AArch64 CPU, and the best variant there. */
    CHECK(zc_kernels_for(ZC_VARIANT_NEON) != NULL);
    CHECK(zc_kernels_for(ZC_VARIANT_AVX2) == NULL);
#else
    CHECK(zc_kernels_for(ZC_VARIANT_NEON) == NULL);
#endif
    CHECK(strcmp(zc_variant_name(-1), "unknown") == 0);
    CHECK(strcmp(zc_variant_name(ZC_VARIANT_COUNT), "unknown") == 0);
}

static void test_alloc(void)
{
    static const size_t ns[] = {1, 3, 8, 9, 1000, 100003};
    for (size_t ni = 0; ni < COUNTOF(ns); ni++) {
        size_t n = ns[ni];
        snprintf(ctx, sizeof ctx, "zc_alloc n=%zu", n);
        double *p = zc_alloc(n);
        CHECK(p != NULL);
        if (p == NULL)
            continue;
        CHECK((uintptr_t)p % ZC_ALIGN == 0);
        int zero = 1;
        for (size_t i = 0; i < n; i++)
            zero &= p[i] == 0.0;
        CHECK(zero);
        fill_canary(p, n); /* all n are writable */
        zc_free(p);
    }
    snprintf(ctx, sizeof ctx, "zc_alloc limits");
    CHECK(zc_alloc(0) == NULL);
    CHECK(zc_alloc(SIZE_MAX / 4) == NULL); /* n*8 overflows */
    CHECK(zc_alloc(SIZE_MAX / 8) == NULL); /* rounding up overflows */
    zc_free(NULL);
}

/* The frame functions call the variant of their ctx on the frame's
 * buffers, exactly as the table does, and refuse lengths that do not fit
 * with -ZC_ERR_ARG, touching nothing. */
static void test_frames(const zc_kernels *t)
{
    enum { N = 37, K = 5, M = 6 };
    double *x = buf_new(N, ALIGNED), *y = buf_new(N, OFFSET);
    double *out = buf_new(N + 1, ALIGNED), *want = buf_new(N, ALIGNED);
    fill(x, N, UNIFORM);
    fill(y, N, UNIFORM);
    zc_frame f = {{x, y, out}, {N, N, N}, {0.5}, {0}, t, 0};
    snprintf(ctx, sizeof ctx, "frames, %s", t->name);

    CHECK(zc_frame_sum(&f) == 0 && f.result == t->sum(x, N));
    CHECK(zc_frame_dot(&f) == 0 && f.result == t->dot(x, y, N));
    t->axpy(0.5, x, y, want, N);
    fill_canary(out, N + 1);
    CHECK(zc_frame_axpy(&f) == 0 && equal(out, want, N) && all_canary(out + N, 1));

    zc_frame fir = {{x, y, out}, {N, K, N - K + 1}, {0}, {0}, t, 0};
    t->fir(x, N, y, K, want);
    fill_canary(out, N + 1);
    CHECK(zc_frame_fir(&fir) == N - K + 1 && equal(out, want, N - K + 1) &&
          all_canary(out + N - K + 1, K));

    zc_frame mm = {{x, y, out}, {M * M, M * M, M * M}, {0}, {M}, t, 0};
    t->matmul(x, y, want, M);
    fill_canary(out, N + 1);
    CHECK(zc_frame_matmul(&mm) == 0 && equal(out, want, M * M) &&
          all_canary(out + M * M, N + 1 - M * M));

    /* Lengths that do not fit: refused, nothing written. */
    fill_canary(out, N + 1);
    zc_frame bad = {{x, y, out}, {N, N - 1, N}, {0}, {0}, t, 0};
    CHECK(zc_frame_dot(&bad) == -ZC_ERR_ARG);
    CHECK(zc_frame_axpy(&bad) == -ZC_ERR_ARG && all_canary(out, N + 1));
    bad.len[1] = 0;
    CHECK(zc_frame_fir(&bad) == -ZC_ERR_ARG && all_canary(out, N + 1));
    bad.len[1] = K;
    bad.len[2] = N - K;
    CHECK(zc_frame_fir(&bad) == -ZC_ERR_ARG && all_canary(out, N + 1));
    zc_frame badm = {{x, y, out}, {N, N, N}, {0}, {M + 1}, t, 0};
    CHECK(zc_frame_matmul(&badm) == -ZC_ERR_ARG && all_canary(out, N + 1));
    badm.i[0] = -1;
    CHECK(zc_frame_matmul(&badm) == -ZC_ERR_ARG);
    badm.i[0] = INT64_MAX;
    CHECK(zc_frame_matmul(&badm) == -ZC_ERR_ARG && all_canary(out, N + 1));
    /* Negative lengths, which would be sizes past any buffer. */
    zc_frame neg = {{x, y, out}, {-1, -1, -1}, {0}, {0}, t, 0};
    CHECK(zc_frame_sum(&neg) == -ZC_ERR_ARG);
    CHECK(zc_frame_dot(&neg) == -ZC_ERR_ARG);
    CHECK(zc_frame_axpy(&neg) == -ZC_ERR_ARG && all_canary(out, N + 1));
    CHECK(zc_frame_fir(&neg) == -ZC_ERR_ARG && all_canary(out, N + 1));

    buf_free(x, ALIGNED);
    buf_free(y, OFFSET);
    buf_free(out, ALIGNED);
    buf_free(want, ALIGNED);
}

/* zc_run_batch runs each item of a descriptor as a frame of its own:
 * axpy items of every length at offsets of their own, with a scalar each,
 * one refused by its kernel beside good ones; a header out of range runs
 * nothing. */
static void test_batch(const zc_kernels *t)
{
    enum { ITEMS = 12, STRIDE = 40, NB = 3, NF = 1, W = ZC_BATCH_ITEM_WORDS(3, 1, 0) };
    double *x = buf_new(ITEMS * STRIDE, OFFSET), *y = buf_new(ITEMS * STRIDE, ALIGNED);
    double *out = buf_new(ITEMS * STRIDE, ALIGNED), *want = buf_new(STRIDE, ALIGNED);
    int64_t desc[ZC_BATCH_HEADER + ITEMS * W];
    snprintf(ctx, sizeof ctx, "batch, %s", t->name);
    fill(x, ITEMS * STRIDE, UNIFORM);
    fill(y, ITEMS * STRIDE, UNIFORM);
    fill_canary(out, ITEMS * STRIDE);
    desc[0] = NB, desc[1] = NF, desc[2] = 0, desc[3] = 0;
    for (int64_t j = 0; j < ITEMS; j++) {
        int64_t *it = desc + ZC_BATCH_HEADER + j * W, n = (int64_t)vec_sizes[j];
        union { double d; int64_t w; } a = {0.25 * (double)j - 1};
        it[0] = (int64_t)(uintptr_t)(x + j * STRIDE);
        it[1] = (int64_t)(uintptr_t)(y + j * STRIDE);
        it[2] = (int64_t)(uintptr_t)(out + j * STRIDE);
        it[3] = n, it[4] = j == 5 ? n + 1 : n, it[5] = n; /* item 5: lengths that do not match */
        it[6] = a.w;
        it[W - 2] = it[W - 1] = 12345;
    }
    zc_run_batch(zc_frame_axpy, t, desc, ITEMS);
    for (int64_t j = 0; j < ITEMS; j++) {
        const int64_t *it = desc + ZC_BATCH_HEADER + j * W;
        size_t n = vec_sizes[j];
        if (j == 5) {
            CHECK(it[W - 2] == -ZC_ERR_ARG && all_canary(out + j * STRIDE, STRIDE));
            continue;
        }
        t->axpy(0.25 * (double)j - 1, x + j * STRIDE, y + j * STRIDE, want, n);
        CHECK(it[W - 2] == 0 && equal(out + j * STRIDE, want, n) &&
              all_canary(out + j * STRIDE + n, STRIDE - n));
    }
    /* Items' results: a sum's float result lands in the item's last word. */
    int64_t sdesc[ZC_BATCH_HEADER + 2 * ZC_BATCH_ITEM_WORDS(1, 0, 0)] = {1, 0, 0, 0,
        (int64_t)(uintptr_t)x, 7, -1, -1, (int64_t)(uintptr_t)(x + 7), 0, -1, -1};
    zc_run_batch(zc_frame_sum, t, sdesc, 2);
    union { int64_t w; double d; } r0 = {sdesc[7]}, r1 = {sdesc[11]};
    CHECK(sdesc[6] == 0 && r0.d == t->sum(x, 7) && sdesc[10] == 0 && r1.d == 0);
    /* A header out of range runs nothing. */
    sdesc[0] = ZC_MAX_BUFFERS + 1, sdesc[6] = 99;
    zc_run_batch(zc_frame_sum, t, sdesc, 2);
    CHECK(sdesc[6] == 99);
    sdesc[0] = 1, sdesc[1] = -1;
    zc_run_batch(zc_frame_sum, t, sdesc, 2);
    CHECK(sdesc[6] == 99);
    /* One whose item size would overflow, checked before it is computed. */
    sdesc[0] = INT64_MAX / 2 + 1, sdesc[1] = 0;
    zc_run_batch(zc_frame_sum, t, sdesc, 2);
    CHECK(sdesc[6] == 99);

    buf_free(x, OFFSET);
    buf_free(y, ALIGNED);
    buf_free(out, ALIGNED);
    buf_free(want, ALIGNED);
}

/* AddressSanitizer's frames are many times a build's own (the AVX-512
 * product's part takes some 70 KiB under it, 2.4 KiB without), so the
 * stack test runs in the build without it (make test runs both). */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif

#if defined(__unix__) && !defined(ASAN)
/* A product on a thread of its own, for test_small_stack. */
typedef struct {
    const zc_kernels *t;
    const double *a, *b;
    double *c;
    size_t m;
} matmul_job;

static void *run_matmul(void *arg)
{
    const matmul_job *j = arg;
    j->t->matmul(j->a, j->b, j->c, j->m);
    return NULL;
}

/* A blocked product (m past ZC_MATMUL_PACK_FROM) on a thread with a
 * 64 KiB stack, as small as a caller's thread may have (musl gives 128
 * KiB): it must keep its panel buffer off the stack, and give the
 * result it gives on the main thread, to the bit. */
static void test_small_stack(const zc_kernels *t)
{
    enum { M = 256, STACK = 64 << 10 };
    snprintf(ctx, sizeof ctx, "%s matmul m=%d on a %d KiB stack", t->name, M, STACK >> 10);
    double *a = buf_new(M * M, ALIGNED), *b = buf_new(M * M, ALIGNED);
    double *c = buf_new(M * M, ALIGNED), *want = buf_new(M * M, ALIGNED);
    fill(a, M * M, UNIFORM);
    fill(b, M * M, UNIFORM);
    t->matmul(a, b, want, M);
    matmul_job job = {t, a, b, c, M};
    pthread_attr_t attr;
    pthread_t th;
    int ok = pthread_attr_init(&attr) == 0;
    /* A platform whose least stack is larger (arm64's 128 KiB) tests
     * at its least. */
    if (ok && pthread_attr_setstacksize(&attr, STACK) != 0)
        ok = pthread_attr_setstacksize(&attr, 128 << 10) == 0;
    ok = ok && pthread_create(&th, &attr, run_matmul, &job) == 0;
    ok = ok && pthread_join(th, NULL) == 0;
    pthread_attr_destroy(&attr);
    CHECK(ok && memcmp(c, want, sizeof(double) * M * M) == 0);
    buf_free(a, ALIGNED);
    buf_free(b, ALIGNED);
    buf_free(c, ALIGNED);
    buf_free(want, ALIGNED);
}
#else
static void test_small_stack(const zc_kernels *t) { (void)t; }
#endif

int main(void)
{
    const zc_kernels *ref = zc_kernels_for(ZC_VARIANT_SCALAR);
    if (ref == NULL) {
        printf("no scalar variant\n0 passed, 1 failed\n");
        return 1;
    }
    test_best();
    for (int v = ZC_VARIANT_SCALAR; v < ZC_VARIANT_COUNT; v++) {
        const zc_kernels *t = zc_kernels_for(v);
        printf("variant %s: %s\n", zc_variant_name(v),
               t ? "tested" : "skipped, not supported here");
        if (t == NULL)
            continue;
        test_vectors(t, ref);
        test_fir(t, ref);
        test_matmul(t, ref);
        test_small_stack(t);
        test_specials(t);
        test_frames(t);
        test_batch(t);
    }
    test_force();
    test_alloc();
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
