/*
 * saxpy.c - a kernel of the kind a user brings, for zerocall's own tests
 * and benchmarks: out = a*x + y on float32, in the convention of
 * zc_kernel.h, built in every variant from one body (ZC_VARIANTS). It is
 * not one of the built-ins, and nothing on the Go side knows it but its
 * description. The package compiles it through cgo; the
 * tests also build it into a shared library and load it with dlopen.
 *
 * Buffers: x (float32, in), y (float32, in), out (float32, out).
 * Scalars: f[0] = a. Result: the number of outputs written, len(x).
 */
#include "zc_kernel.h"

ZC_BODY int64_t saxpy(zc_frame *f)
{
    const float *x = f->buf[0];
    const float *y = f->buf[1];
    float *out = f->buf[2];
    int64_t n = f->len[0];
    if (f->len[1] != n || f->len[2] < n)
        return -1; /* ZC_ERR_ARG */
    float a = (float)f->f[0];
    for (int64_t i = 0; i < n; i++)
        out[i] = a * x[i] + y[i];
    return n;
}

/* zc_test_saxpy, and on x86-64 zc_test_saxpy_avx2 and _avx512, with
 * their table zc_test_saxpy_variants. */
ZC_VARIANTS(zc_test_saxpy, saxpy);

#if defined(__wasm__)
/* In a wasm module, the batch export too: many calls in one crossing. */
#include "zc_module.h"
ZC_MODULE_BATCH(zc_test_saxpy);
#endif
