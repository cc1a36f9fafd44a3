/*
 * neon.c - the AArch64 NEON variant: 2 doubles per register.
 *
 * NEON (Advanced SIMD) is part of every AArch64 CPU, so this file needs no
 * target attribute and dispatch.c needs no run-time test: on AArch64 the
 * variant is always supported, and elsewhere the file compiles to nothing.
 * The loops are simd128.c's, with fused multiply-adds as in avx2.c, and
 * with the reductions keeping 8 registers (16 doubles) in flight, as
 * avx2.c keeps 32: AArch64 has 32 vector registers, and an FP add takes a
 * few cycles on two or more pipes. The rest take 8 doubles in 4
 * registers, then one register of 2, then a scalar tail, so every n is
 * covered; a reduction of one element runs the scalar tail alone, as
 * avx2.c's do below one register. vld1q/vst1q accept any 8-byte aligned address. Comments give
 * each vector line's scalar meaning; x[i..i+1] is x[i], x[i+1].
 */
#include "internal.h"

#if ZC_HAVE_NEON

#include <arm_neon.h>

static double neon_sum(const double *x, size_t n)
{
    if (n < 2) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i];
        return s;
    }
    float64x2_t a0 = vdupq_n_f64(0.0), a1 = a0, a2 = a0, a3 = a0;
    float64x2_t a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 = vaddq_f64(a0, vld1q_f64(x + i));      /* a0 += x[i..i+1]       */
        a1 = vaddq_f64(a1, vld1q_f64(x + i + 2));  /* a1 += x[i+2..i+3]     */
        a2 = vaddq_f64(a2, vld1q_f64(x + i + 4));  /* a2 += x[i+4..i+5]     */
        a3 = vaddq_f64(a3, vld1q_f64(x + i + 6));  /* a3 += x[i+6..i+7]     */
        a4 = vaddq_f64(a4, vld1q_f64(x + i + 8));  /* a4 += x[i+8..i+9]     */
        a5 = vaddq_f64(a5, vld1q_f64(x + i + 10)); /* a5 += x[i+10..i+11]   */
        a6 = vaddq_f64(a6, vld1q_f64(x + i + 12)); /* a6 += x[i+12..i+13]   */
        a7 = vaddq_f64(a7, vld1q_f64(x + i + 14)); /* a7 += x[i+14..i+15]   */
    }
    for (; i + 2 <= n; i += 2)
        a0 = vaddq_f64(a0, vld1q_f64(x + i));      /* a0 += x[i..i+1] */
    a0 = vaddq_f64(vaddq_f64(vaddq_f64(a0, a1), vaddq_f64(a2, a3)),
                   vaddq_f64(vaddq_f64(a4, a5), vaddq_f64(a6, a7)));
    double s = vaddvq_f64(a0);                     /* s = a0[0] + a0[1] */
    for (; i < n; i++)
        s += x[i];
    return s;
}

static double neon_dot(const double *x, const double *y, size_t n)
{
    if (n < 2) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i] * y[i];
        return s;
    }
    float64x2_t a0 = vdupq_n_f64(0.0), a1 = a0, a2 = a0, a3 = a0;
    float64x2_t a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 = vfmaq_f64(a0, vld1q_f64(x + i), vld1q_f64(y + i));           /* a0 += x[i..i+1] * y[i..i+1] */
        a1 = vfmaq_f64(a1, vld1q_f64(x + i + 2), vld1q_f64(y + i + 2));   /* and so on, 2 apart          */
        a2 = vfmaq_f64(a2, vld1q_f64(x + i + 4), vld1q_f64(y + i + 4));
        a3 = vfmaq_f64(a3, vld1q_f64(x + i + 6), vld1q_f64(y + i + 6));
        a4 = vfmaq_f64(a4, vld1q_f64(x + i + 8), vld1q_f64(y + i + 8));
        a5 = vfmaq_f64(a5, vld1q_f64(x + i + 10), vld1q_f64(y + i + 10));
        a6 = vfmaq_f64(a6, vld1q_f64(x + i + 12), vld1q_f64(y + i + 12));
        a7 = vfmaq_f64(a7, vld1q_f64(x + i + 14), vld1q_f64(y + i + 14));
    }
    for (; i + 2 <= n; i += 2)
        a0 = vfmaq_f64(a0, vld1q_f64(x + i), vld1q_f64(y + i));           /* a0 += x[i..i+1] * y[i..i+1] */
    a0 = vaddq_f64(vaddq_f64(vaddq_f64(a0, a1), vaddq_f64(a2, a3)),
                   vaddq_f64(vaddq_f64(a4, a5), vaddq_f64(a6, a7)));
    double s = vaddvq_f64(a0);
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* Each group of 2 is loaded before it is stored and groups are disjoint,
 * so out == x or out == y is safe. */
static void neon_axpy(double a, const double *x, const double *y,
                      double *out, size_t n)
{
    const float64x2_t va = vdupq_n_f64(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float64x2_t r0 = vfmaq_f64(vld1q_f64(y + i), va, vld1q_f64(x + i));         /* y[i..i+1] + a*x[i..i+1]     */
        float64x2_t r1 = vfmaq_f64(vld1q_f64(y + i + 2), va, vld1q_f64(x + i + 2)); /* y[i+2..i+3] + a*x[i+2..i+3] */
        float64x2_t r2 = vfmaq_f64(vld1q_f64(y + i + 4), va, vld1q_f64(x + i + 4)); /* y[i+4..i+5] + a*x[i+4..i+5] */
        float64x2_t r3 = vfmaq_f64(vld1q_f64(y + i + 6), va, vld1q_f64(x + i + 6)); /* y[i+6..i+7] + a*x[i+6..i+7] */
        vst1q_f64(out + i, r0);
        vst1q_f64(out + i + 2, r1);
        vst1q_f64(out + i + 4, r2);
        vst1q_f64(out + i + 6, r3);
    }
    for (; i + 2 <= n; i += 2)
        vst1q_f64(out + i, vfmaq_f64(vld1q_f64(y + i), va, vld1q_f64(x + i))); /* out[i..i+1] = a*x[i..i+1] + y[i..i+1] */
    for (; i < n; i++)
        out[i] = a * x[i] + y[i];
}

/* Outputs are computed in blocks: each accumulator holds 2 neighbouring
 * outputs, and every tap multiplies all of them at once. */
static size_t neon_fir(const double *x, size_t n, const double *taps,
                       size_t k, double *out)
{
    if (k == 0 || k > n)
        return 0;
    size_t outs = n - k + 1, i = 0;
    for (; i + 8 <= outs; i += 8) {
        float64x2_t a0 = vdupq_n_f64(0.0), a1 = a0, a2 = a0, a3 = a0;
        for (size_t j = 0; j < k; j++) {
            const double *xj = x + i + j;
            float64x2_t t = vdupq_n_f64(taps[j]);      /* t = taps[j] in both lanes            */
            a0 = vfmaq_f64(a0, t, vld1q_f64(xj));      /* out[i..i+1] += t * x[i+j..i+j+1]     */
            a1 = vfmaq_f64(a1, t, vld1q_f64(xj + 2));  /* out[i+2..i+3] += t * x[i+j+2..i+j+3] */
            a2 = vfmaq_f64(a2, t, vld1q_f64(xj + 4));  /* out[i+4..i+5] += t * x[i+j+4..i+j+5] */
            a3 = vfmaq_f64(a3, t, vld1q_f64(xj + 6));  /* out[i+6..i+7] += t * x[i+j+6..i+j+7] */
        }
        vst1q_f64(out + i, a0);                        /* out[i..i+7] = a0..a3 */
        vst1q_f64(out + i + 2, a1);
        vst1q_f64(out + i + 4, a2);
        vst1q_f64(out + i + 6, a3);
    }
    for (; i + 2 <= outs; i += 2) {
        float64x2_t acc = vdupq_n_f64(0.0);
        for (size_t j = 0; j < k; j++)
            acc = vfmaq_f64(acc, vdupq_n_f64(taps[j]), vld1q_f64(x + i + j)); /* out[i..i+1] += taps[j] * x[i+j..i+j+1] */
        vst1q_f64(out + i, acc);
    }
    zc_fir_tail(x, taps, k, out, i, outs); /* the last outputs, as in scalar.c */
    return outs;
}

/* matmul works on tiles of R rows by Q registers (2*Q columns) of c, as
 * avx2.c does: each output is one accumulator lane that takes its
 * products in order of p, one fused multiply-add each. R and Q are
 * constants at every call site, so the loops over r and q unroll and
 * acc[][] lives in R*Q of the 32 vector registers (at most 20). b's row
 * is loaded once per p and used by every row of the tile (AArch64's
 * multiply-add takes no memory operand, so no compiler folds the load
 * back into it), and each a[i+r][p] is loaded straight into both lanes.
 * A tile covers the part's depth, on top of what c holds if the part adds
 * (see zc_matmul_part). */

/* c[i..i+R-1][j..j+2Q-1] (+)= a[i..i+R-1][0..depth-1] * b[0..depth-1][j..j+2Q-1] */
static inline __attribute__((always_inline)) void
neon_matmul_tile(const zc_matmul_part *pt, size_t i, size_t j, size_t R,
                 size_t Q)
{
    const double *a = pt->a, *b = pt->b;
    double *c = pt->c;
    const size_t m = pt->m;
    float64x2_t acc[8][4];
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            acc[r][q] = vdupq_n_f64(0.0);
    if (pt->add) /* a branch, not a select, or clang keeps acc[][] in memory */
        for (size_t r = 0; r < R; r++)
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = vld1q_f64(c + (i + r) * m + j + 2 * q); /* what the parts before left */
    for (size_t p = 0; p < pt->depth; p++) {
        const double *bp = b + p * pt->ldb + j;
        float64x2_t bq[4];
        for (size_t q = 0; q < Q; q++)
            bq[q] = vld1q_f64(bp + 2 * q);                             /* bq[q] = b[p][j+2q..j+2q+1] */
        for (size_t r = 0; r < R; r++) {
            float64x2_t arp = vld1q_dup_f64(a + (i + r) * m + p);      /* arp = a[i+r][p] in both lanes */
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = vfmaq_f64(acc[r][q], arp, bq[q]);          /* c[i+r][j+2q..j+2q+1] += arp * bq[q] */
        }
    }
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            vst1q_f64(c + (i + r) * m + j + 2 * q, acc[r][q]);
}

/* Columns j..j+2Q-1 of the part, rows [0, rows) in tiles of R rows, then
 * two and one: 5 rows by 4 registers (8 columns) in the body, whose
 * 20 accumulators, 4 registers of b and a broadcast fit the 32 registers
 * (BLIS's ARMv8 kernel is 6 by 8); 8 rows at narrower panels. */
static inline __attribute__((always_inline)) void
neon_matmul_panel(const zc_matmul_part *pt, size_t j, size_t Q)
{
    const size_t R = Q <= 2 ? 8 : 5, rows = pt->rows;
    size_t i = 0;
    for (; i + R <= rows; i += R)
        neon_matmul_tile(pt, i, j, R, Q);
    for (; i + 2 <= rows; i += 2)
        neon_matmul_tile(pt, i, j, 2, Q);
    if (i < rows)
        neon_matmul_tile(pt, i, j, 1, Q);
}

/* One part of a product (see ZC_ASM_ENTRY). Column panels are the outer
 * loop, so the panel of b being read is reused by every row of a while it
 * is still in cache; the last 2 to 7 columns are one panel of as many
 * whole registers, and an odd last column is scalar.c's. */
ZC_ASM_ENTRY static void neon_matmul_part(const zc_matmul_part *pt)
{
    const size_t cols = pt->cols;
    size_t j = 0;
    for (; j + 8 <= cols; j += 8)
        neon_matmul_panel(pt, j, 4);
    switch ((cols - j) / 2) {
    case 3:
        neon_matmul_panel(pt, j, 3);
        j += 6;
        break;
    case 2:
        neon_matmul_panel(pt, j, 2);
        j += 4;
        break;
    case 1:
        neon_matmul_panel(pt, j, 1);
        j += 2;
        break;
    }
    zc_matmul_tail(pt, j); /* the last column when cols is odd, as in scalar.c */
}

/* The whole product: as one part, or from ZC_MATMUL_PACK_FROM on in
 * blocks of 192 rows and 256 terms, each on packed panels of 8 columns of
 * b (16 KiB; see zc_matmul_blocked), as avx2.c, whose sizes were
 * measured: these are not, for want of an arm64 machine. */
static void neon_matmul(const double *a, const double *b, double *c, size_t m)
{
    enum { KC = 256, MC = 192, W = 8 };
    zc_matmul_blocked(a, b, c, m, KC, MC, W, neon_matmul_part);
}

const zc_kernels zc_kernels_neon_table = {
    .variant = ZC_VARIANT_NEON,
    .name = "neon",
    .sum = neon_sum,
    .dot = neon_dot,
    .axpy = neon_axpy,
    .fir = neon_fir,
    .matmul = neon_matmul,
};

#endif /* ZC_HAVE_NEON */
