/*
 * clamp.c - a second kernel of the kind a user brings, for the benchmark
 * of CPU variants: out[i] = min(max(x[i], lo), hi) * s on float32, a plain
 * C loop with no intrinsics, in the convention of zc_kernel.h. ZC_VARIANTS
 * builds it for every instruction set from the one body, and the
 * compiler's vectorizer does the rest.
 *
 * Buffers: x (float32, in), out (float32, out). Scalars: f[0] = lo,
 * f[1] = hi, f[2] = s. Result: the number of outputs written, len(x).
 * A NaN in x stays NaN (both comparisons are false), as in the Go
 * version, so every variant agrees with it bit for bit.
 */
#include "zc_kernel.h"

ZC_BODY int64_t clamp_scale(zc_frame *f)
{
    const float *x = f->buf[0];
    float *out = f->buf[1];
    int64_t n = f->len[0];
    if (f->len[1] < n)
        return -1; /* ZC_ERR_ARG */
    float lo = (float)f->f[0], hi = (float)f->f[1], s = (float)f->f[2];
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        out[i] = v * s;
    }
    return n;
}

/* zc_test_clamp, its variants and their table, zc_test_clamp_variants. */
ZC_VARIANTS(zc_test_clamp, clamp_scale);
