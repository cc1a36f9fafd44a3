/*
 * scale.c - the consumer's own kernel, in zerocall's calling convention:
 * out[i] = a * x[i] on float32 (x in, out out, f[0] = a); returns the
 * number of elements written. One file for every path: cgo (this
 * package), a shared library, a wasm module (zerocall module) and the Go
 * assembly (zerocall gen).
 */
#include "zc_module.h"

int64_t scale(zc_frame *f)
{
    const float *x = f->buf[0];
    float *out = f->buf[1];
    int64_t n = f->len[0];
    if (f->len[1] < n)
        return -1;
    for (int64_t i = 0; i < n; i++)
        out[i] = (float)f->f[0] * x[i];
    return n;
}

ZC_MODULE_BATCH(scale);
