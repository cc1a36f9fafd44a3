/*
 * ftz.c - the test kernel of saxpy.c, out = a*x + y on float32, that
 * breaks a rule of zc_kernel.h: it sets flush to zero and denormals are
 * zero (MXCSR on x86-64, FPCR.FZ on AArch64) and leaves them set. The
 * test kit must notice.
 */
#include "zc_kernel.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

static void set_ftz(void)
{
#if defined(__x86_64__)
    _mm_setcsr(_mm_getcsr() | 0x8040);
#elif defined(__aarch64__)
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (uint64_t)1 << 24));
#endif
}

int64_t zc_test_saxpy_ftz(zc_frame *f)
{
    const float *x = f->buf[0];
    const float *y = f->buf[1];
    float *out = f->buf[2];
    int64_t n = f->len[0];
    if (f->len[1] != n || f->len[2] < n)
        return -1; /* ZC_ERR_ARG */
    set_ftz();
    float a = (float)f->f[0];
    for (int64_t i = 0; i < n; i++)
        out[i] = a * x[i] + y[i];
    return n;
}
