/*
 * scalar.c - the reference variant.
 *
 * Every kernel is the naive loop: terms are added in index order into a sum
 * that starts at +0.0, with one rounding per operation. The other variants
 * are judged against these results (see "Results of different variants" in
 * zerocall.h), so this file stays literal: no unrolling, no reassociation.
 *
 * One rounding per operation also means no contraction of x*y + z into a
 * fused multiply-add. Targets without FMA (baseline x86-64, wasm32) cannot
 * contract; elsewhere build with -ffp-contract=off, as the Makefile does.
 *
 * Freestanding: nothing here needs libc, so the file builds for wasm32.
 */
#include "internal.h"

static double scalar_sum(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s;
}

static double scalar_dot(const double *x, const double *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* out may be x or y: element i is read before it is written. */
static void scalar_axpy(double a, const double *x, const double *y,
                        double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = a * x[i] + y[i];
}

static size_t scalar_fir(const double *x, size_t n, const double *taps,
                         size_t k, double *out)
{
    if (k == 0 || k > n)
        return 0;
    size_t outs = n - k + 1;
    zc_fir_tail(x, taps, k, out, 0, outs);
    return outs;
}

/* One part of a product (see ZC_ASM_ENTRY), an output at a time. */
ZC_ASM_ENTRY static void scalar_matmul_part(const zc_matmul_part *p)
{
    zc_matmul_tail(p, 0);
}

static void scalar_matmul(const double *a, const double *b, double *c,
                          size_t m)
{
    const zc_matmul_part whole = {a, b, c, m, m, m, m, 0, m};
    scalar_matmul_part(&whole);
}

const zc_kernels zc_kernels_scalar_table = {
    .variant = ZC_VARIANT_SCALAR,
    .name = "scalar",
    .sum = scalar_sum,
    .dot = scalar_dot,
    .axpy = scalar_axpy,
    .fir = scalar_fir,
    .matmul = scalar_matmul,
};
