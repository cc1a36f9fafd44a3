/*
 * avx2.c - the x86-64 AVX2 + FMA variant: 4 doubles per register.
 *
 * The file builds at the baseline ISA; only the functions below are
 * compiled for AVX2 + FMA, through ZC_AVX2, and dispatch.c calls them only
 * after checking the CPU and the OS. All loads and stores are unaligned, so
 * any 8-byte aligned pointer works. Each kernel runs a main loop over
 * several registers (8 for the reductions, 4 otherwise), then a loop over
 * 1 register (4 doubles), then a scalar tail, so every n is covered; a
 * reduction shorter than one register runs its scalar tail alone, which
 * gives the same sum without the latency of reducing empty accumulators.
 * Comments give each vector line's scalar meaning; x[i..i+3] is the four
 * doubles x[i], ..., x[i+3].
 *
 * avx512.c is this file with 8 lanes instead of 4 (its reductions keep 4
 * registers: the same 32 doubles in flight); keep the two in step.
 */
#include "internal.h"

#if ZC_HAVE_X86

#include <immintrin.h>

#define ZC_AVX2 __attribute__((target("avx2,fma")))

/* v[0] + v[1] + v[2] + v[3], added as (v[0] + v[2]) + (v[1] + v[3]). */
static inline ZC_AVX2 double avx2_hsum(__m256d v)
{
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v),
                           _mm256_extractf128_pd(v, 1)); /* s = v[0..1] + v[2..3] */
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s))); /* s[0] + s[1] */
}

/* The reductions keep 8 accumulators (32 doubles) in flight: an add or FMA
 * takes 3-5 cycles and two can start per cycle, so fewer accumulators
 * leave the adders waiting on their own results while data is in L1. */
static ZC_AVX2 double avx2_sum(const double *x, size_t n)
{
    if (n < 4) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i];
        return s;
    }
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    __m256d a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm256_add_pd(a0, _mm256_loadu_pd(x + i));      /* a0 += x[i..i+3]      */
        a1 = _mm256_add_pd(a1, _mm256_loadu_pd(x + i + 4));  /* a1 += x[i+4..i+7]    */
        a2 = _mm256_add_pd(a2, _mm256_loadu_pd(x + i + 8));  /* ...                  */
        a3 = _mm256_add_pd(a3, _mm256_loadu_pd(x + i + 12));
        a4 = _mm256_add_pd(a4, _mm256_loadu_pd(x + i + 16));
        a5 = _mm256_add_pd(a5, _mm256_loadu_pd(x + i + 20));
        a6 = _mm256_add_pd(a6, _mm256_loadu_pd(x + i + 24));
        a7 = _mm256_add_pd(a7, _mm256_loadu_pd(x + i + 28)); /* a7 += x[i+28..i+31]  */
    }
    for (; i + 4 <= n; i += 4)
        a0 = _mm256_add_pd(a0, _mm256_loadu_pd(x + i));      /* a0 += x[i..i+3] */
    a0 = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)),
                       _mm256_add_pd(_mm256_add_pd(a4, a5), _mm256_add_pd(a6, a7)));
    double s = avx2_hsum(a0);                                /* pairwise, then lanes */
    for (; i < n; i++)
        s += x[i];
    return s;
}

static ZC_AVX2 double avx2_dot(const double *x, const double *y, size_t n)
{
    if (n < 4) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i] * y[i];
        return s;
    }
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    __m256d a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
#define ZC_FMA(acc, j) acc = _mm256_fmadd_pd(_mm256_loadu_pd(x + i + (j)), \
                                             _mm256_loadu_pd(y + i + (j)), acc)
    for (; i + 32 <= n; i += 32) {
        ZC_FMA(a0, 0);  /* a0 += x[i..i+3] * y[i..i+3] */
        ZC_FMA(a1, 4);  /* a1 += x[i+4..i+7] * y[i+4..i+7] */
        ZC_FMA(a2, 8);
        ZC_FMA(a3, 12);
        ZC_FMA(a4, 16);
        ZC_FMA(a5, 20);
        ZC_FMA(a6, 24);
        ZC_FMA(a7, 28); /* a7 += x[i+28..i+31] * y[i+28..i+31] */
    }
    for (; i + 4 <= n; i += 4)
        ZC_FMA(a0, 0);
#undef ZC_FMA
    a0 = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)),
                       _mm256_add_pd(_mm256_add_pd(a4, a5), _mm256_add_pd(a6, a7)));
    double s = avx2_hsum(a0);
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* Each group of 4 is loaded before it is stored and groups are disjoint,
 * so out == x or out == y is safe. */
static ZC_AVX2 void avx2_axpy(double a, const double *x, const double *y,
                              double *out, size_t n)
{
    const __m256d va = _mm256_set1_pd(a);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256d r0 = _mm256_fmadd_pd(va, _mm256_loadu_pd(x + i),
                                     _mm256_loadu_pd(y + i));      /* a*x[i..i+3] + y[i..i+3]         */
        __m256d r1 = _mm256_fmadd_pd(va, _mm256_loadu_pd(x + i + 4),
                                     _mm256_loadu_pd(y + i + 4));  /* a*x[i+4..i+7] + y[i+4..i+7]     */
        __m256d r2 = _mm256_fmadd_pd(va, _mm256_loadu_pd(x + i + 8),
                                     _mm256_loadu_pd(y + i + 8));  /* a*x[i+8..i+11] + y[i+8..i+11]   */
        __m256d r3 = _mm256_fmadd_pd(va, _mm256_loadu_pd(x + i + 12),
                                     _mm256_loadu_pd(y + i + 12)); /* a*x[i+12..i+15] + y[i+12..i+15] */
        _mm256_storeu_pd(out + i, r0);                             /* out[i..i+3] = r0     */
        _mm256_storeu_pd(out + i + 4, r1);                         /* out[i+4..i+7] = r1   */
        _mm256_storeu_pd(out + i + 8, r2);                         /* out[i+8..i+11] = r2  */
        _mm256_storeu_pd(out + i + 12, r3);                        /* out[i+12..i+15] = r3 */
    }
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(out + i,
                         _mm256_fmadd_pd(va, _mm256_loadu_pd(x + i),
                                         _mm256_loadu_pd(y + i))); /* out[i..i+3] = a*x[i..i+3] + y[i..i+3] */
    for (; i < n; i++)
        out[i] = a * x[i] + y[i];
}

/* Outputs are computed in blocks: each accumulator holds 4 neighbouring
 * outputs, and every tap multiplies all of them at once. */
static ZC_AVX2 size_t avx2_fir(const double *x, size_t n, const double *taps,
                               size_t k, double *out)
{
    if (k == 0 || k > n)
        return 0;
    size_t outs = n - k + 1, i = 0;
    for (; i + 16 <= outs; i += 16) {
        __m256d acc0 = _mm256_setzero_pd(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t j = 0; j < k; j++) {
            const double *xj = x + i + j;
            __m256d t = _mm256_set1_pd(taps[j]);                         /* t = taps[j] in every lane */
            acc0 = _mm256_fmadd_pd(t, _mm256_loadu_pd(xj), acc0);       /* out[i..i+3] += t * x[i+j..i+j+3]         */
            acc1 = _mm256_fmadd_pd(t, _mm256_loadu_pd(xj + 4), acc1);   /* out[i+4..i+7] += t * x[i+j+4..i+j+7]     */
            acc2 = _mm256_fmadd_pd(t, _mm256_loadu_pd(xj + 8), acc2);   /* out[i+8..i+11] += t * x[i+j+8..i+j+11]   */
            acc3 = _mm256_fmadd_pd(t, _mm256_loadu_pd(xj + 12), acc3);  /* out[i+12..i+15] += t * x[i+j+12..i+j+15] */
        }
        _mm256_storeu_pd(out + i, acc0);                        /* out[i..i+15] = acc0..acc3 */
        _mm256_storeu_pd(out + i + 4, acc1);
        _mm256_storeu_pd(out + i + 8, acc2);
        _mm256_storeu_pd(out + i + 12, acc3);
    }
    for (; i + 4 <= outs; i += 4) {
        __m256d acc = _mm256_setzero_pd();
        for (size_t j = 0; j < k; j++)
            acc = _mm256_fmadd_pd(_mm256_set1_pd(taps[j]),
                                  _mm256_loadu_pd(x + i + j), acc);     /* out[i..i+3] += taps[j] * x[i+j..i+j+3] */
        _mm256_storeu_pd(out + i, acc);
    }
    zc_fir_tail(x, taps, k, out, i, outs); /* the last outputs, as in scalar.c */
    return outs;
}

/* matmul works on tiles of R rows by Q registers (4*Q columns) of c. Each
 * output is one accumulator lane that takes its products in order of p,
 * one fma each. R and Q are constants at every call site, so once the
 * helpers are inlined the loops over r and q unroll and acc[][] lives in
 * R*Q registers (at most 12 of the 16). At the right edge, with `masked`,
 * the last register is loaded from b and c and stored to c only in the
 * lanes whose 64 bits of last are set, so the edge columns run as fast as
 * the others and in the same order of operations. A tile covers the
 * part's depth, on top of what c holds if the part adds (see
 * zc_matmul_part). */

/* c[i..i+R-1][j..j+4Q-1] (+)= a[i..i+R-1][0..depth-1] * b[0..depth-1][j..j+4Q-1],
 * the last register limited to the lanes of last if masked. */
static inline __attribute__((always_inline)) ZC_AVX2 void
avx2_matmul_tile(const zc_matmul_part *pt, size_t i, size_t j, size_t R,
                 size_t Q, int masked, __m256i last)
{
    const double *a = pt->a, *b = pt->b;
    double *c = pt->c;
    const size_t m = pt->m;
    __m256d acc[8][4];
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            acc[r][q] = _mm256_setzero_pd();
    if (pt->add) /* a branch, not a select, or clang keeps acc[][] in memory */
        for (size_t r = 0; r < R; r++)
            for (size_t q = 0; q < Q; q++) {
                const double *cq = c + (i + r) * m + j + 4 * q;
                acc[r][q] = masked && q + 1 == Q ? _mm256_maskload_pd(cq, last)
                                                 : _mm256_loadu_pd(cq); /* what the parts before left */
            }
    /* depth and ldb in locals, and b's row by a step: gcc otherwise
     * reloads them from pt and multiplies on every term (3% at odd m) */
    const size_t depth = pt->depth, ldb = pt->ldb;
    const double *bp = b + j;
    for (size_t p = 0; p < depth; p++, bp += ldb) {
        __m256d bq[4];
        for (size_t q = 0; q < Q; q++)
            bq[q] = masked && q + 1 == Q
                ? _mm256_maskload_pd(bp + 4 * q, last)                 /* the lanes of last, 0 in the others */
                : _mm256_loadu_pd(bp + 4 * q);                         /* bq[q] = b[p][j+4q..j+4q+3] */
        for (size_t q = 0; q < Q; q++)
            ZC_IN_REGISTER(bq[q]);                                     /* loaded once, used by every row */
        for (size_t r = 0; r < R; r++) {
            __m256d arp = _mm256_set1_pd(a[(i + r) * m + p]);           /* arp = a[i+r][p] in every lane */
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = _mm256_fmadd_pd(arp, bq[q], acc[r][q]);   /* c[i+r][j+4q..j+4q+3] += arp * bq[q] */
        }
    }
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++) {
            double *cq = c + (i + r) * m + j + 4 * q;
            if (masked && q + 1 == Q)
                _mm256_maskstore_pd(cq, last, acc[r][q]);
            else
                _mm256_storeu_pd(cq, acc[r][q]);
        }
}

/* Columns j..j+4Q-1 of the part, rows [0, rows) in tiles of R rows, then
 * four, two and one: 6 rows by 2 registers (8 columns) in the body, as
 * BLIS's Haswell kernel, whose 12 accumulators, 2 registers of b and a
 * broadcast fill the 16 registers; 8 rows by 1 register at an edge. */
static inline __attribute__((always_inline)) ZC_AVX2 void
avx2_matmul_panel(const zc_matmul_part *pt, size_t j, size_t Q, int masked,
                  __m256i last)
{
    const size_t R = Q == 1 ? 8 : 6, rows = pt->rows;
    size_t i = 0;
    for (; i + R <= rows; i += R)
        avx2_matmul_tile(pt, i, j, R, Q, masked, last);
    if (i + 4 <= rows) {
        avx2_matmul_tile(pt, i, j, 4, Q, masked, last);
        i += 4;
    }
    for (; i + 2 <= rows; i += 2)
        avx2_matmul_tile(pt, i, j, 2, Q, masked, last);
    if (i < rows)
        avx2_matmul_tile(pt, i, j, 1, Q, masked, last);
}

/* One part of a product (see ZC_ASM_ENTRY). Column panels are the outer
 * loop, so the panel of b being read is reused by every row of a while it
 * is still in cache; the last 1 to 7 columns are one panel of one or two
 * registers, the last one masked if they are not a whole register. */
ZC_ASM_ENTRY static ZC_AVX2 void
avx2_matmul_part(const zc_matmul_part *pt)
{
    const size_t cols = pt->cols;
    const __m256i none = _mm256_setzero_si256();
    size_t j = 0;
    for (; j + 8 <= cols; j += 8)
        avx2_matmul_panel(pt, j, 2, 0, none);
    size_t rest = cols - j;
    if (rest == 4) {
        avx2_matmul_panel(pt, j, 1, 0, none);
    } else if (rest != 0) {
        /* lane l of the last register is a column if l < rest % 4 */
        __m256i last = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(rest % 4)),
                                          _mm256_setr_epi64x(0, 1, 2, 3));
        if (rest < 4)
            avx2_matmul_panel(pt, j, 1, 1, last);
        else
            avx2_matmul_panel(pt, j, 2, 1, last);
    }
}

/* The whole product: as one part, or from ZC_MATMUL_PACK_FROM on in
 * blocks of 192 rows and 384 terms, each on packed panels of 8 columns of
 * b (24 KiB; see zc_matmul_blocked). Measured on a Xeon with 2 MiB
 * of L2, against 256 terms and no blocks of rows: 1.8 times OpenBLAS's
 * time at m = 1024 before, 1.3 after (512 terms measured the same). */
static ZC_AVX2 void avx2_matmul(const double *a, const double *b, double *c,
                                size_t m)
{
    enum { KC = 384, MC = 192, W = 8 };
    zc_matmul_blocked(a, b, c, m, KC, MC, W, avx2_matmul_part);
}

const zc_kernels zc_kernels_avx2_table = {
    .variant = ZC_VARIANT_AVX2,
    .name = "avx2",
    .sum = avx2_sum,
    .dot = avx2_dot,
    .axpy = avx2_axpy,
    .fir = avx2_fir,
    .matmul = avx2_matmul,
};

#endif /* ZC_HAVE_X86 */
