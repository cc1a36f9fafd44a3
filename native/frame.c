/*
 * frame.c - the built-in kernels in the calling convention of
 * zc_kernel.h, so that the host calls them exactly as it calls a user's.
 *
 * Each adapter unpacks the frame, checks the lengths against each other
 * (the host has checked them already; a kernel keeps within len[] on its
 * own all the same) and calls the kernel of the variant whose table is
 * f->ctx. Their buffers and scalars are those of the built-in
 * descriptions in package kernel.
 */
#include "internal.h"

#define ZCF_T(f) ((const zc_kernels *)(f)->ctx)

/* sum: x -> result */
int64_t zc_frame_sum(zc_frame *f)
{
    if (f->len[0] < 0)
        return -ZC_ERR_ARG;
    f->result = ZCF_T(f)->sum(f->buf[0], (size_t)f->len[0]);
    return 0;
}

/* dot: x, y -> result; len(y) == len(x) */
int64_t zc_frame_dot(zc_frame *f)
{
    if (f->len[0] < 0 || f->len[1] != f->len[0])
        return -ZC_ERR_ARG;
    f->result = ZCF_T(f)->dot(f->buf[0], f->buf[1], (size_t)f->len[0]);
    return 0;
}

/* axpy: x, y, out; f[0] = a; len(y) == len(x) <= len(out) */
int64_t zc_frame_axpy(zc_frame *f)
{
    int64_t n = f->len[0];
    if (n < 0 || f->len[1] != n || f->len[2] < n)
        return -ZC_ERR_ARG;
    ZCF_T(f)->axpy(f->f[0], f->buf[0], f->buf[1], f->buf[2], (size_t)n);
    return 0;
}

/* fir: x, taps, out -> the count of out; 1 <= k <= n, n-k+1 <= len(out) */
int64_t zc_frame_fir(zc_frame *f)
{
    int64_t n = f->len[0], k = f->len[1];
    if (k < 1 || k > n || f->len[2] < n - k + 1)
        return -ZC_ERR_ARG;
    return (int64_t)ZCF_T(f)->fir(f->buf[0], (size_t)n, f->buf[1],
                                  (size_t)k, f->buf[2]);
}

/* matmul: a, b, c; i[0] = m; m*m <= the length of each */
int64_t zc_frame_matmul(zc_frame *f)
{
    int64_t m = f->i[0];
    if (m < 0 || (m > 0 && m > INT64_MAX / m))
        return -ZC_ERR_ARG;
    int64_t mm = m * m;
    if (f->len[0] < mm || f->len[1] < mm || f->len[2] < mm)
        return -ZC_ERR_ARG;
    ZCF_T(f)->matmul(f->buf[0], f->buf[1], f->buf[2], (size_t)m);
    return 0;
}

const zc_kernel_fn zc_frames[ZC_BUILTIN_COUNT] = {
    [ZC_BUILTIN_SUM] = zc_frame_sum,
    [ZC_BUILTIN_DOT] = zc_frame_dot,
    [ZC_BUILTIN_AXPY] = zc_frame_axpy,
    [ZC_BUILTIN_FIR] = zc_frame_fir,
    [ZC_BUILTIN_MATMUL] = zc_frame_matmul,
};
