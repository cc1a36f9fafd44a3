/*
 * histogram.c - a byte histogram in zerocall's calling convention
 * (zc_kernel.h), built into a shared library that Go loads at run time:
 *
 *   counts[v] += the number of bytes of data equal to v
 *
 * Buffers: data (uint8, in), counts (int64, in-out, 256). Returns the
 * bytes counted. Four tables take turns, so that runs of equal bytes do
 * not wait on their own increments; they are added up at the end.
 *
 * The same file is built into a wasm module by zerocall module (the
 * go:generate line of main.go), which also exports histogram_batch, many
 * calls in one crossing: ZC_MODULE_BATCH below defines it there, and is
 * harmless in the native build. ZC_VARIANTS builds the native library's
 * function in every CPU variant, and Go's Library.Func picks the best.
 */
#include "zc_module.h"

ZC_BODY int64_t histogram_body(zc_frame *f)
{
    const uint8_t *data = f->buf[0];
    int64_t *counts = f->buf[1];
    int64_t n = f->len[0];
    if (f->len[1] != 256)
        return -1; /* ZC_ERR_ARG */
    uint32_t t[4][256] = {{0}};
    int64_t i = 0;
    /* Each table counts at most 2^32 - 1 bytes before it is flushed. */
    while (i < n) {
        int64_t end = n - i > (int64_t)0xfffffff0 ? i + 0xfffffff0 : n;
        for (; i + 4 <= end; i += 4) {
            t[0][data[i]]++;
            t[1][data[i + 1]]++;
            t[2][data[i + 2]]++;
            t[3][data[i + 3]]++;
        }
        for (; i < end; i++)
            t[0][data[i]]++;
        for (int v = 0; v < 256; v++) {
            counts[v] += (int64_t)t[0][v] + t[1][v] + t[2][v] + t[3][v];
            t[0][v] = t[1][v] = t[2][v] = t[3][v] = 0;
        }
    }
    return n;
}

/* histogram, in every variant, with the table that native.Library's Func
 * picks from (in the wasm module, the function alone). */
ZC_VARIANTS(histogram, histogram_body);

ZC_MODULE_BATCH(histogram);
