/*
 * simd128.c - the WebAssembly SIMD128 variant: 2 doubles per register.
 *
 * This is avx2.c with 2 lanes instead of 4: the same loops, with main
 * loops of 8 doubles in 4 registers (where avx2.c takes 32 doubles in 8
 * accumulators for the reductions and 16 in 4 registers otherwise), then
 * one register of 2, and below one register the scalar tail alone. The
 * file compiles to nothing unless the target has SIMD128 (clang
 * --target=wasm32 -msimd128): cgo, which builds
 * every .c file here, sees an empty unit, and only the wasm module
 * (wasm/embed/build.sh) calls it. v128.load and v128.store accept any
 * address, so any 8-byte aligned pointer works. SIMD128 has no fused
 * multiply-add: every a*b + c below is a multiply then an add, each
 * rounded, as in scalar.c. Comments give each vector line's scalar
 * meaning; x[i..i+1] is the two doubles x[i], x[i+1].
 */
#include "internal.h"

#if defined(__wasm_simd128__)

#include <wasm_simd128.h>

/* v[0] + v[1] */
static inline double simd128_hsum(v128_t v)
{
    return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1);
}

static double simd128_sum(const double *x, size_t n)
{
    if (n < 2) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i];
        return s;
    }
    v128_t acc0 = wasm_f64x2_const_splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        acc0 = wasm_f64x2_add(acc0, wasm_v128_load(x + i));     /* acc0 += x[i..i+1]   */
        acc1 = wasm_f64x2_add(acc1, wasm_v128_load(x + i + 2)); /* acc1 += x[i+2..i+3] */
        acc2 = wasm_f64x2_add(acc2, wasm_v128_load(x + i + 4)); /* acc2 += x[i+4..i+5] */
        acc3 = wasm_f64x2_add(acc3, wasm_v128_load(x + i + 6)); /* acc3 += x[i+6..i+7] */
    }
    for (; i + 2 <= n; i += 2)
        acc0 = wasm_f64x2_add(acc0, wasm_v128_load(x + i));     /* acc0 += x[i..i+1] */
    acc0 = wasm_f64x2_add(wasm_f64x2_add(acc0, acc1),
                          wasm_f64x2_add(acc2, acc3));          /* (acc0 + acc1) + (acc2 + acc3) */
    double s = simd128_hsum(acc0);
    for (; i < n; i++)
        s += x[i];
    return s;
}

static double simd128_dot(const double *x, const double *y, size_t n)
{
    if (n < 2) { /* no full register: the scalar tail alone, as below */
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += x[i] * y[i];
        return s;
    }
    v128_t acc0 = wasm_f64x2_const_splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(wasm_v128_load(x + i),
                                                   wasm_v128_load(y + i)));     /* acc0 += x[i..i+1] * y[i..i+1]     */
        acc1 = wasm_f64x2_add(acc1, wasm_f64x2_mul(wasm_v128_load(x + i + 2),
                                                   wasm_v128_load(y + i + 2))); /* acc1 += x[i+2..i+3] * y[i+2..i+3] */
        acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(wasm_v128_load(x + i + 4),
                                                   wasm_v128_load(y + i + 4))); /* acc2 += x[i+4..i+5] * y[i+4..i+5] */
        acc3 = wasm_f64x2_add(acc3, wasm_f64x2_mul(wasm_v128_load(x + i + 6),
                                                   wasm_v128_load(y + i + 6))); /* acc3 += x[i+6..i+7] * y[i+6..i+7] */
    }
    for (; i + 2 <= n; i += 2)
        acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(wasm_v128_load(x + i),
                                                   wasm_v128_load(y + i)));     /* acc0 += x[i..i+1] * y[i..i+1] */
    acc0 = wasm_f64x2_add(wasm_f64x2_add(acc0, acc1),
                          wasm_f64x2_add(acc2, acc3));                          /* (acc0 + acc1) + (acc2 + acc3) */
    double s = simd128_hsum(acc0);
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* Each group of 2 is loaded before it is stored and groups are disjoint,
 * so out == x or out == y is safe. Without FMA every element is rounded
 * exactly as scalar.c rounds it, so the result equals the reference. */
static void simd128_axpy(double a, const double *x, const double *y,
                         double *out, size_t n)
{
    const v128_t va = wasm_f64x2_splat(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        v128_t r0 = wasm_f64x2_add(wasm_f64x2_mul(va, wasm_v128_load(x + i)),
                                   wasm_v128_load(y + i));     /* a*x[i..i+1] + y[i..i+1]     */
        v128_t r1 = wasm_f64x2_add(wasm_f64x2_mul(va, wasm_v128_load(x + i + 2)),
                                   wasm_v128_load(y + i + 2)); /* a*x[i+2..i+3] + y[i+2..i+3] */
        v128_t r2 = wasm_f64x2_add(wasm_f64x2_mul(va, wasm_v128_load(x + i + 4)),
                                   wasm_v128_load(y + i + 4)); /* a*x[i+4..i+5] + y[i+4..i+5] */
        v128_t r3 = wasm_f64x2_add(wasm_f64x2_mul(va, wasm_v128_load(x + i + 6)),
                                   wasm_v128_load(y + i + 6)); /* a*x[i+6..i+7] + y[i+6..i+7] */
        wasm_v128_store(out + i, r0);                          /* out[i..i+1] = r0   */
        wasm_v128_store(out + i + 2, r1);                      /* out[i+2..i+3] = r1 */
        wasm_v128_store(out + i + 4, r2);                      /* out[i+4..i+5] = r2 */
        wasm_v128_store(out + i + 6, r3);                      /* out[i+6..i+7] = r3 */
    }
    for (; i + 2 <= n; i += 2)
        wasm_v128_store(out + i,
                        wasm_f64x2_add(wasm_f64x2_mul(va, wasm_v128_load(x + i)),
                                       wasm_v128_load(y + i))); /* out[i..i+1] = a*x[i..i+1] + y[i..i+1] */
    for (; i < n; i++)
        out[i] = a * x[i] + y[i];
}

/* Outputs are computed in blocks: each accumulator holds 2 neighbouring
 * outputs, and every tap multiplies all of them at once. */
static size_t simd128_fir(const double *x, size_t n, const double *taps,
                          size_t k, double *out)
{
    if (k == 0 || k > n)
        return 0;
    size_t outs = n - k + 1, i = 0;
    for (; i + 8 <= outs; i += 8) {
        v128_t acc0 = wasm_f64x2_const_splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t j = 0; j < k; j++) {
            const double *xj = x + i + j;
            v128_t t = wasm_f64x2_splat(taps[j]);                                 /* t = taps[j] in both lanes */
            acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(t, wasm_v128_load(xj)));     /* out[i..i+1] += t * x[i+j..i+j+1]     */
            acc1 = wasm_f64x2_add(acc1, wasm_f64x2_mul(t, wasm_v128_load(xj + 2))); /* out[i+2..i+3] += t * x[i+j+2..i+j+3] */
            acc2 = wasm_f64x2_add(acc2, wasm_f64x2_mul(t, wasm_v128_load(xj + 4))); /* out[i+4..i+5] += t * x[i+j+4..i+j+5] */
            acc3 = wasm_f64x2_add(acc3, wasm_f64x2_mul(t, wasm_v128_load(xj + 6))); /* out[i+6..i+7] += t * x[i+j+6..i+j+7] */
        }
        wasm_v128_store(out + i, acc0);                         /* out[i..i+7] = acc0..acc3 */
        wasm_v128_store(out + i + 2, acc1);
        wasm_v128_store(out + i + 4, acc2);
        wasm_v128_store(out + i + 6, acc3);
    }
    for (; i + 2 <= outs; i += 2) {
        v128_t acc = wasm_f64x2_const_splat(0.0);
        for (size_t j = 0; j < k; j++)
            acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_f64x2_splat(taps[j]),
                                                     wasm_v128_load(x + i + j))); /* out[i..i+1] += taps[j] * x[i+j..i+j+1] */
        wasm_v128_store(out + i, acc);
    }
    zc_fir_tail(x, taps, k, out, i, outs); /* the last outputs, as in scalar.c */
    return outs;
}

/* matmul works on tiles of R rows by Q registers (2*Q columns) of c, as
 * neon.c does, on the parts of zc_matmul_part. Each output is one
 * accumulator lane that takes its products in order of p, one multiply
 * and one add each (SIMD128 has no fused multiply-add), so every output is
 * scalar.c's to the last bit. R and Q are constants at every call site,
 * so once the helpers are inlined the loops over r and q unroll and
 * acc[][] becomes R*Q v128 locals: at most 8, beside Q of b and one of a,
 * which the runtimes' compilers keep in the 16 vector registers of
 * x86-64. A tile covers the part's depth, on top of what c holds if the
 * part adds. */

/* c[i..i+R-1][j..j+2Q-1] (+)= a[i..i+R-1][0..depth-1] * b[0..depth-1][j..j+2Q-1] */
static inline __attribute__((always_inline)) void
simd128_matmul_tile(const zc_matmul_part *pt, size_t i, size_t j, size_t R,
                    size_t Q)
{
    const double *a = pt->a, *b = pt->b;
    double *c = pt->c;
    const size_t m = pt->m;
    v128_t acc[2][4];
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            acc[r][q] = wasm_f64x2_const_splat(0.0);
    if (pt->add)
        for (size_t r = 0; r < R; r++)
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = wasm_v128_load(c + (i + r) * m + j + 2 * q); /* what the parts before left */
    for (size_t p = 0; p < pt->depth; p++) {
        const double *bp = b + p * pt->ldb + j;
        v128_t bq[4];
        for (size_t q = 0; q < Q; q++)
            bq[q] = wasm_v128_load(bp + 2 * q);                             /* bq[q] = b[p][j+2q..j+2q+1] */
        for (size_t r = 0; r < R; r++) {
            v128_t arp = wasm_f64x2_splat(a[(i + r) * m + p]);              /* arp = a[i+r][p] in both lanes */
            for (size_t q = 0; q < Q; q++)
                acc[r][q] = wasm_f64x2_add(acc[r][q], wasm_f64x2_mul(arp, bq[q])); /* c[i+r][j+2q..] += arp * bq[q] */
        }
    }
    for (size_t r = 0; r < R; r++)
        for (size_t q = 0; q < Q; q++)
            wasm_v128_store(c + (i + r) * m + j + 2 * q, acc[r][q]);
}

/* Columns j..j+2Q-1 of the part, two rows at a time, then the odd row if
 * any. */
static inline __attribute__((always_inline)) void
simd128_matmul_panel(const zc_matmul_part *pt, size_t j, size_t Q)
{
    size_t i = 0;
    for (; i + 2 <= pt->rows; i += 2)
        simd128_matmul_tile(pt, i, j, 2, Q);
    if (i < pt->rows)
        simd128_matmul_tile(pt, i, j, 1, Q);
}

/* One part of a product. Column panels are the outer loop, so the panel of
 * b being read is reused by every row of a while it is still in cache; the
 * last 2 to 7 columns are one panel of as many whole registers, and an odd
 * last column is scalar.c's. */
static inline __attribute__((always_inline)) void
simd128_matmul_block(const zc_matmul_part *pt)
{
    const size_t cols = pt->cols;
    size_t j = 0;
    for (; j + 8 <= cols; j += 8)
        simd128_matmul_panel(pt, j, 4);
    switch ((cols - j) / 2) {
    case 3:
        simd128_matmul_panel(pt, j, 3);
        j += 6;
        break;
    case 2:
        simd128_matmul_panel(pt, j, 2);
        j += 4;
        break;
    case 1:
        simd128_matmul_panel(pt, j, 1);
        j += 2;
        break;
    }
    zc_matmul_tail(pt, j); /* the last column when cols is odd, as in scalar.c */
}

/* A packed product, and each of its parts, is a function of its own, out
 * of the export's: in one function with the packed loop, the small
 * product's tiles (inlined, their part constant: the depth and the stride
 * of b are m, nothing is added) made Wasmtime's compiler keep the stride
 * of b on the stack and reload it on every term, 1.12-1.16 times the time
 * of the loops before parts from m = 33 to 100 on Zen 5. Apart, Wasmtime
 * runs the small product as it did before parts, and wazero faster. */

/* A part of a product on a packed panel of b (zc_matmul_packed). */
static __attribute__((noinline)) void
simd128_matmul_part(const zc_matmul_part *pt)
{
    simd128_matmul_block(pt);
}

/* A product from ZC_MATMUL_PACK_FROM on: blocks of 192 rows and 256
 * terms, each on packed panels of 8 columns of b (16 KiB of the module's
 * 64 KiB stack; see zc_matmul_packed), the sizes of neon.c, whose
 * registers these are. */
static __attribute__((noinline)) void
simd128_matmul_packed(const double *a, const double *b, double *c, size_t m)
{
    enum { KC = 256, MC = 192, W = 8 };
    _Alignas(16) double pack[KC * W];
    zc_matmul_packed(a, b, c, m, pack, KC, MC, W, simd128_matmul_part);
}

/* The whole product: packed from ZC_MATMUL_PACK_FROM on, and below it as
 * one part. */
static void simd128_matmul(const double *a, const double *b, double *c,
                           size_t m)
{
    if (m >= ZC_MATMUL_PACK_FROM) {
        simd128_matmul_packed(a, b, c, m);
        return;
    }
    const zc_matmul_part whole = {a, b, c, m, m, m, m, 0, m};
    simd128_matmul_block(&whole);
}

const zc_kernels zc_kernels_simd128_table = {
    .variant = ZC_VARIANT_SIMD128,
    .name = "simd128",
    .sum = simd128_sum,
    .dot = simd128_dot,
    .axpy = simd128_axpy,
    .fir = simd128_fir,
    .matmul = simd128_matmul,
};

#endif /* __wasm_simd128__ */
