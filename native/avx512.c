/*
 * avx512.c - the x86-64 AVX-512F variant: 8 doubles per register.
 *
 * This is avx2.c with 8 lanes instead of 4: the same loops and the same
 * order of operations per lane. Every main loop takes 32 doubles (the
 * reductions in 4 accumulators where avx2.c keeps 8, the rest in 4
 * registers where avx2.c takes 16 doubles), then one register of 8. The
 * file builds at the baseline ISA; only the functions below are compiled
 * for AVX-512F, through ZC_AVX512, and dispatch.c calls them only after
 * checking the CPU and the OS. x[i..i+7] is the eight doubles x[i], ...,
 * x[i+7].
 */
#include "internal.h"

#if ZC_HAVE_X86

#include <immintrin.h>

#define ZC_AVX512 __attribute__((target("avx512f")))

static ZC_AVX512 double avx512_sum(const double *x, size_t n)
{
    if (n < 8) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i];
        return s;
    }
    __m512d acc0 = _mm512_setzero_pd(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_add_pd(acc0, _mm512_loadu_pd(x + i));      /* acc0 += x[i..i+7]     */
        acc1 = _mm512_add_pd(acc1, _mm512_loadu_pd(x + i + 8));  /* acc1 += x[i+8..i+15]  */
        acc2 = _mm512_add_pd(acc2, _mm512_loadu_pd(x + i + 16)); /* acc2 += x[i+16..i+23] */
        acc3 = _mm512_add_pd(acc3, _mm512_loadu_pd(x + i + 24)); /* acc3 += x[i+24..i+31] */
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm512_add_pd(acc0, _mm512_loadu_pd(x + i));      /* acc0 += x[i..i+7] */
    acc0 = _mm512_add_pd(_mm512_add_pd(acc0, acc1),
                         _mm512_add_pd(acc2, acc3));             /* (acc0 + acc1) + (acc2 + acc3) */
    double s = _mm512_reduce_add_pd(acc0);                      /* acc0[0] + ... + acc0[7] */
    for (; i < n; i++)
        s += x[i];
    return s;
}

static ZC_AVX512 double avx512_dot(const double *x, const double *y, size_t n)
{
    if (n < 8) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i] * y[i];
        return s;
    }
    __m512d acc0 = _mm512_setzero_pd(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_pd(_mm512_loadu_pd(x + i),
                               _mm512_loadu_pd(y + i), acc0);      /* acc0 += x[i..i+7] * y[i..i+7]         */
        acc1 = _mm512_fmadd_pd(_mm512_loadu_pd(x + i + 8),
                               _mm512_loadu_pd(y + i + 8), acc1);  /* acc1 += x[i+8..i+15] * y[i+8..i+15]   */
        acc2 = _mm512_fmadd_pd(_mm512_loadu_pd(x + i + 16),
                               _mm512_loadu_pd(y + i + 16), acc2); /* acc2 += x[i+16..i+23] * y[i+16..i+23] */
        acc3 = _mm512_fmadd_pd(_mm512_loadu_pd(x + i + 24),
                               _mm512_loadu_pd(y + i + 24), acc3); /* acc3 += x[i+24..i+31] * y[i+24..i+31] */
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm512_fmadd_pd(_mm512_loadu_pd(x + i),
                               _mm512_loadu_pd(y + i), acc0);      /* acc0 += x[i..i+7] * y[i..i+7] */
    acc0 = _mm512_add_pd(_mm512_add_pd(acc0, acc1),
                         _mm512_add_pd(acc2, acc3));               /* (acc0 + acc1) + (acc2 + acc3) */
    double s = _mm512_reduce_add_pd(acc0);                        /* acc0[0] + ... + acc0[7] */
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* Each group of 8 is loaded before it is stored and groups are disjoint,
 * so out == x or out == y is safe. */
static ZC_AVX512 void avx512_axpy(double a, const double *x, const double *y,
                                  double *out, size_t n)
{
    const __m512d va = _mm512_set1_pd(a);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512d r0 = _mm512_fmadd_pd(va, _mm512_loadu_pd(x + i),
                                     _mm512_loadu_pd(y + i));      /* a*x[i..i+7] + y[i..i+7]         */
        __m512d r1 = _mm512_fmadd_pd(va, _mm512_loadu_pd(x + i + 8),
                                     _mm512_loadu_pd(y + i + 8));  /* a*x[i+8..i+15] + y[i+8..i+15]   */
        __m512d r2 = _mm512_fmadd_pd(va, _mm512_loadu_pd(x + i + 16),
                                     _mm512_loadu_pd(y + i + 16)); /* a*x[i+16..i+23] + y[i+16..i+23] */
        __m512d r3 = _mm512_fmadd_pd(va, _mm512_loadu_pd(x + i + 24),
                                     _mm512_loadu_pd(y + i + 24)); /* a*x[i+24..i+31] + y[i+24..i+31] */
        _mm512_storeu_pd(out + i, r0);                             /* out[i..i+7] = r0     */
        _mm512_storeu_pd(out + i + 8, r1);                         /* out[i+8..i+15] = r1  */
        _mm512_storeu_pd(out + i + 16, r2);                        /* out[i+16..i+23] = r2 */
        _mm512_storeu_pd(out + i + 24, r3);                        /* out[i+24..i+31] = r3 */
    }
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_pd(out + i,
                         _mm512_fmadd_pd(va, _mm512_loadu_pd(x + i),
                                         _mm512_loadu_pd(y + i))); /* out[i..i+7] = a*x[i..i+7] + y[i..i+7] */
    for (; i < n; i++)
        out[i] = a * x[i] + y[i];
}

/* Outputs are computed in blocks: each accumulator holds 8 neighbouring
 * outputs, and every tap multiplies all of them at once. */
static ZC_AVX512 size_t avx512_fir(const double *x, size_t n,
                                   const double *taps, size_t k, double *out)
{
    if (k == 0 || k > n)
        return 0;
    size_t outs = n - k + 1, i = 0;
    for (; i + 32 <= outs; i += 32) {
        __m512d acc0 = _mm512_setzero_pd(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t j = 0; j < k; j++) {
            const double *xj = x + i + j;
            __m512d t = _mm512_set1_pd(taps[j]);                         /* t = taps[j] in every lane */
            acc0 = _mm512_fmadd_pd(t, _mm512_loadu_pd(xj), acc0);       /* out[i..i+7] += t * x[i+j..i+j+7]         */
            acc1 = _mm512_fmadd_pd(t, _mm512_loadu_pd(xj + 8), acc1);   /* out[i+8..i+15] += t * x[i+j+8..i+j+15]   */
            acc2 = _mm512_fmadd_pd(t, _mm512_loadu_pd(xj + 16), acc2);  /* out[i+16..i+23] += t * x[i+j+16..i+j+23] */
            acc3 = _mm512_fmadd_pd(t, _mm512_loadu_pd(xj + 24), acc3);  /* out[i+24..i+31] += t * x[i+j+24..i+j+31] */
        }
        _mm512_storeu_pd(out + i, acc0);                        /* out[i..i+31] = acc0..acc3 */
        _mm512_storeu_pd(out + i + 8, acc1);
        _mm512_storeu_pd(out + i + 16, acc2);
        _mm512_storeu_pd(out + i + 24, acc3);
    }
    for (; i + 8 <= outs; i += 8) {
        __m512d acc = _mm512_setzero_pd();
        for (size_t j = 0; j < k; j++)
            acc = _mm512_fmadd_pd(_mm512_set1_pd(taps[j]),
                                  _mm512_loadu_pd(x + i + j), acc);     /* out[i..i+7] += taps[j] * x[i+j..i+j+7] */
        _mm512_storeu_pd(out + i, acc);
    }
    zc_fir_tail(x, taps, k, out, i, outs); /* the last outputs, as in scalar.c */
    return outs;
}

/* matmul works on tiles of R rows by Q registers (8*Q columns) of c, as in
 * avx2.c: each output is one accumulator lane that takes its products in
 * order of p, one fma each, and acc[][] lives in R*Q registers. The last
 * register of a tile at the right edge is masked: only the lanes of `last`
 * are loaded from b and c and stored to c, so the edge columns run as fast
 * as the others and in the same order of operations. A tile covers the
 * part's depth, on top of what c holds if the part adds (see
 * zc_matmul_part). */

/* c[i..i+R-1][j..j+8Q-1] (+)= a[i..i+R-1][0..depth-1] * b[0..depth-1][j..j+8Q-1],
 * the last register limited to the lanes of last if masked. */
static inline __attribute__((always_inline)) ZC_AVX512 void
avx512_matmul_tile(const zc_matmul_part *pt, size_t i, size_t j, size_t R,
                   size_t Q, int masked, __mmask8 last)
{
    const double *a = pt->a, *b = pt->b;
    double *c = pt->c;
    const size_t m = pt->m;
    __m512d acc[8][4];
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            acc[r][q] = _mm512_setzero_pd();
    if (pt->add) /* a branch, not a select, or clang keeps acc[][] in memory */
        for (size_t r = 0; r < R; r++)
            for (size_t q = 0; q < Q; q++) {
                const double *cq = c + (i + r) * m + j + 8 * q;
                acc[r][q] = masked && q + 1 == Q ? _mm512_maskz_loadu_pd(last, cq)
                                                 : _mm512_loadu_pd(cq); /* what the parts before left */
            }
    /* depth and ldb in locals, and b's row by a step: gcc otherwise
     * reloads them from pt and multiplies on every term (3% at odd m) */
    const size_t depth = pt->depth, ldb = pt->ldb;
    const double *bp = b + j;
    for (size_t p = 0; p < depth; p++, bp += ldb) {
        __m512d bq[4];
        for (size_t q = 0; q < Q; q++)
            bq[q] = masked && q + 1 == Q
                ? _mm512_maskz_loadu_pd(last, bp + 8 * q)              /* the lanes of last, 0 in the others */
                : _mm512_loadu_pd(bp + 8 * q);                         /* bq[q] = b[p][j+8q..j+8q+7] */
        for (size_t q = 0; q < Q; q++)
            ZC_IN_REGISTER(bq[q]);                                     /* loaded once, used by every row */
        for (size_t r = 0; r < R; r++) {
            __m512d arp = _mm512_set1_pd(a[(i + r) * m + p]);           /* arp = a[i+r][p] in every lane */
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = _mm512_fmadd_pd(arp, bq[q], acc[r][q]);   /* c[i+r][j+8q..j+8q+7] += arp * bq[q] */
        }
    }
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++) {
            double *cq = c + (i + r) * m + j + 8 * q;
            if (masked && q + 1 == Q)
                _mm512_mask_storeu_pd(cq, last, acc[r][q]);
            else
                _mm512_storeu_pd(cq, acc[r][q]);
        }
}

/* Columns j..j+8Q-1 of the part (the last register limited to the lanes
 * of last if masked), rows [0, rows) in tiles of R rows, then four, two
 * and one. R*Q accumulators (24 at most, of the 32 registers) are 8 fma
 * chains or more, which hide the fma's latency, and each row of b loaded
 * serves R rows of a, so that the tile waits on neither. */
static inline __attribute__((always_inline)) ZC_AVX512 void
avx512_matmul_panel(const zc_matmul_part *pt, size_t j, size_t Q, int masked,
                    __mmask8 last)
{
    const size_t R = Q <= 2 ? 8 : 6, rows = pt->rows;
    size_t i = 0;
    for (; i + R <= rows; i += R)
        avx512_matmul_tile(pt, i, j, R, Q, masked, last);
    if (i + 4 <= rows) {
        avx512_matmul_tile(pt, i, j, 4, Q, masked, last);
        i += 4;
    }
    for (; i + 2 <= rows; i += 2)
        avx512_matmul_tile(pt, i, j, 2, Q, masked, last);
    if (i < rows)
        avx512_matmul_tile(pt, i, j, 1, Q, masked, last);
}

/* A column past whole registers (the last of 8Q + 1) would take a tile's
 * last register, masked to one lane: an fma for each term of each row,
 * seven lanes of eight idle. avx512_matmul_column computes it eight rows
 * to a register instead: a[i..i+7][p..p+7] is loaded row by row and
 * transposed, so that register t holds a[i..i+7][p+t], and acc,
 * c[i..i+7][j], takes its eight terms in order, one fma each with
 * b[p+t][j] in every lane. Each output is the same chain of fmas as in the
 * tile, so the result is the tile's to the last bit, for an eighth of the
 * fmas and three shuffles a term. Measured on Zen 5, part alone: m = 33
 * in 0.87 of the time under gcc and clang; m = 17, 49, 65 and 97 in 0.72
 * to 0.97. At 8 + 1 columns the masked lane rides on a tile of two
 * registers almost free, and with fewer than eight rows or terms there is
 * no register to fill: those keep the tiles. So do products that pack b
 * (ZC_MATMUL_PACK_FROM), where one column is a small share, and where the
 * rows of a that a block of the column reads at once, m values apart,
 * fall into a few sets of the cache when m is near a multiple of 512
 * (3% slower at 513 with blocks of 32 rows). A part that adds to c comes
 * only from those, so the column starts at 0. */

/* acc (+)= a[0..7][0..n-1] * b[0..n-1][0], for a at ap, m values a
 * row, and b at bp, ldb values a row; n < 8 reads only the first n
 * terms of each row of a. The rows are eight variables, not an array:
 * gcc keeps an array of registers in memory. */
static inline __attribute__((always_inline)) ZC_AVX512 __m512d
avx512_matmul_terms(__m512d acc, const double *ap, size_t m, const double *bp,
                    size_t ldb, size_t n)
{
    const __mmask8 k = (__mmask8)(0xff >> (8 - n)); /* the terms, all eight if n = 8 */
#define ZC_ROW(r) (n == 8 ? _mm512_loadu_pd(ap + (r) * m) : _mm512_maskz_loadu_pd(k, ap + (r) * m))
    const __m512d r0 = ZC_ROW(0), r1 = ZC_ROW(1), r2 = ZC_ROW(2), r3 = ZC_ROW(3);
    const __m512d r4 = ZC_ROW(4), r5 = ZC_ROW(5), r6 = ZC_ROW(6), r7 = ZC_ROW(7);
#undef ZC_ROW
    /* pairs of rows, then pairs of 128-bit lanes, then the transpose */
    const __m512d t0 = _mm512_unpacklo_pd(r0, r1), t1 = _mm512_unpackhi_pd(r0, r1);
    const __m512d t2 = _mm512_unpacklo_pd(r2, r3), t3 = _mm512_unpackhi_pd(r2, r3);
    const __m512d t4 = _mm512_unpacklo_pd(r4, r5), t5 = _mm512_unpackhi_pd(r4, r5);
    const __m512d t6 = _mm512_unpacklo_pd(r6, r7), t7 = _mm512_unpackhi_pd(r6, r7);
    const __m512d u0 = _mm512_shuffle_f64x2(t0, t2, 0x88), u1 = _mm512_shuffle_f64x2(t0, t2, 0xdd);
    const __m512d u2 = _mm512_shuffle_f64x2(t1, t3, 0x88), u3 = _mm512_shuffle_f64x2(t1, t3, 0xdd);
    const __m512d u4 = _mm512_shuffle_f64x2(t4, t6, 0x88), u5 = _mm512_shuffle_f64x2(t4, t6, 0xdd);
    const __m512d u6 = _mm512_shuffle_f64x2(t5, t7, 0x88), u7 = _mm512_shuffle_f64x2(t5, t7, 0xdd);
    /* v_t = a[0..7][t] */
    const __m512d v0 = _mm512_shuffle_f64x2(u0, u4, 0x88), v1 = _mm512_shuffle_f64x2(u2, u6, 0x88);
    const __m512d v2 = _mm512_shuffle_f64x2(u1, u5, 0x88), v3 = _mm512_shuffle_f64x2(u3, u7, 0x88);
    const __m512d v4 = _mm512_shuffle_f64x2(u0, u4, 0xdd), v5 = _mm512_shuffle_f64x2(u2, u6, 0xdd);
    const __m512d v6 = _mm512_shuffle_f64x2(u1, u5, 0xdd), v7 = _mm512_shuffle_f64x2(u3, u7, 0xdd);
#define ZC_TERM(t) if ((t) < n) acc = _mm512_fmadd_pd(v##t, _mm512_set1_pd(bp[(t) * ldb]), acc)
    ZC_TERM(0); ZC_TERM(1); ZC_TERM(2); ZC_TERM(3);
    ZC_TERM(4); ZC_TERM(5); ZC_TERM(6); ZC_TERM(7);
#undef ZC_TERM
    return acc;
}

/* c[i..i+8G-1][j] = a[i..i+8G-1][0..depth-1] * b[0..depth-1][j], in G
 * registers of eight rows. */
static inline __attribute__((always_inline)) ZC_AVX512 void
avx512_matmul_column_rows(const zc_matmul_part *pt, size_t i, size_t j, size_t G)
{
    const double *a = pt->a + i * pt->m, *b = pt->b + j;
    double *c = pt->c + i * pt->m + j;
    const size_t m = pt->m, depth = pt->depth, ldb = pt->ldb;
    const __m512i rows = _mm512_set_epi64(7 * (long long)m, 6 * (long long)m, 5 * (long long)m, 4 * (long long)m,
                                          3 * (long long)m, 2 * (long long)m, (long long)m, 0); /* a column's offsets */
    __m512d acc[3];
    for (size_t g = 0; g < G; g++)
        acc[g] = _mm512_setzero_pd();
    size_t p = 0;
    for (; p + 8 <= depth; p += 8)
        for (size_t g = 0; g < G; g++)
            acc[g] = avx512_matmul_terms(acc[g], a + 8 * g * m + p, m, b + p * ldb, ldb, 8);
    if (p < depth)
        for (size_t g = 0; g < G; g++)
            acc[g] = avx512_matmul_terms(acc[g], a + 8 * g * m + p, m, b + p * ldb, ldb, depth - p);
    for (size_t g = 0; g < G; g++)
        _mm512_i64scatter_pd(c + 8 * g * m, rows, acc[g], 8);
}

/* Column j of the part, every row: blocks of three registers of eight
 * rows, then two or one, and the last rows in tiles, as a panel's. The
 * registers of a block, each a chain of fmas, keep the shuffles busy
 * while each fma waits on the one before; gcc spills a block of four. */
static ZC_AVX512 void avx512_matmul_column(const zc_matmul_part *pt, size_t j)
{
    const size_t rows = pt->rows;
    size_t i = 0;
    for (; i + 24 <= rows; i += 24)
        avx512_matmul_column_rows(pt, i, j, 3);
    if (i + 16 <= rows) {
        avx512_matmul_column_rows(pt, i, j, 2);
        i += 16;
    } else if (i + 8 <= rows) {
        avx512_matmul_column_rows(pt, i, j, 1);
        i += 8;
    }
    if (i + 4 <= rows) {
        avx512_matmul_tile(pt, i, j, 4, 1, 1, 0x01);
        i += 4;
    }
    for (; i + 2 <= rows; i += 2)
        avx512_matmul_tile(pt, i, j, 2, 1, 1, 0x01);
    if (i < rows)
        avx512_matmul_tile(pt, i, j, 1, 1, 1, 0x01);
}

/* One part of a product (see ZC_ASM_ENTRY): column panels of 32 are the
 * outer loop, as in avx2.c, and the last 1 to 31 columns are one panel
 * of as many registers as they need, the last one masked; a last column
 * past 0, 16 or 24 goes to avx512_matmul_column instead, and the panel
 * before it is whole registers. */
ZC_ASM_ENTRY static ZC_AVX512 void
avx512_matmul_part(const zc_matmul_part *pt)
{
    const size_t cols = pt->cols;
    size_t j = 0;
    for (; j + 32 <= cols; j += 32)
        avx512_matmul_panel(pt, j, 4, 0, 0xff);
    const size_t rest = cols - j;
    if (rest % 8 == 1 && rest != 9 && pt->rows >= 8 && pt->depth >= 8 && pt->m < ZC_MATMUL_PACK_FROM && !pt->add) {
        avx512_matmul_column(pt, j + rest - 1);
        if (rest == 17)
            avx512_matmul_panel(pt, j, 2, 0, 0xff);
        else if (rest == 25)
            avx512_matmul_panel(pt, j, 3, 0, 0xff);
        return;
    }
    __mmask8 last = (__mmask8)(0xff >> ((8 - rest % 8) % 8)); /* the lanes of the last register that are columns */
    switch ((rest + 7) / 8) {
    case 1: avx512_matmul_panel(pt, j, 1, 1, last); break;
    case 2: avx512_matmul_panel(pt, j, 2, 1, last); break;
    case 3: avx512_matmul_panel(pt, j, 3, 1, last); break;
    case 4: avx512_matmul_panel(pt, j, 4, 1, last); break;
    default: break; /* no columns left */
    }
}

/* The whole product: as one part, or from ZC_MATMUL_PACK_FROM on in
 * blocks of 192 rows and 384 terms, each on packed panels of 32 columns
 * of b (96 KiB; see zc_matmul_blocked). Measured on a Xeon with 2
 * MiB of L2, against 128 terms: 1.3 times OpenBLAS's time at m = 1024
 * before, 1.05 after. */
static ZC_AVX512 void avx512_matmul(const double *a, const double *b,
                                    double *c, size_t m)
{
    enum { KC = 384, MC = 192, W = 32 };
    zc_matmul_blocked(a, b, c, m, KC, MC, W, avx512_matmul_part);
}

const zc_kernels zc_kernels_avx512_table = {
    .variant = ZC_VARIANT_AVX512,
    .name = "avx512",
    .sum = avx512_sum,
    .dot = avx512_dot,
    .axpy = avx512_axpy,
    .fir = avx512_fir,
    .matmul = avx512_matmul,
};

#endif /* ZC_HAVE_X86 */
