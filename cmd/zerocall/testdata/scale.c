/*
 * scale.c - a kernel for the tests of zerocall module and zerocall
 * headers: out[i] = a * x[i] on float32 (x in, out out, f[0] = a).
 * Returns the number of elements written. With -DOWN_BATCH the file has
 * its own ZC_MODULE_BATCH line, as a file shared by a native build and a
 * module does.
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

#ifdef OWN_BATCH
ZC_MODULE_BATCH(scale);
#endif
