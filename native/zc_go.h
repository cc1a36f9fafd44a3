/*
 * zc_go.h - the calls the native package makes, as static inline
 * trampolines through a variant's table of kernels.
 *
 * The table comes as an integer: it is static C memory, and a pointer
 * argument would cost a cgo pointer check on every call for nothing. These
 * typed forms take Go pointers that are valid for the duration of the
 * call; pointers to doubles hold no Go pointer, so cgo checks nothing.
 * Memory that stays put for the life of an instance goes through the
 * frame convention below instead.
 */
#ifndef ZC_GO_H
#define ZC_GO_H

#include <stdint.h>
#include "zerocall.h"

/* ZCG_T turns the integer form of a table back into its pointer. */
#define ZCG_T(t) ((const zc_kernels *)(t))

static inline double zcg_sum(uintptr_t t, const double *x, size_t n) {
    return ZCG_T(t)->sum(x, n);
}
static inline double zcg_dot(uintptr_t t, const double *x,
                             const double *y, size_t n) {
    return ZCG_T(t)->dot(x, y, n);
}
static inline void zcg_axpy(uintptr_t t, double a, const double *x,
                            const double *y, double *out, size_t n) {
    ZCG_T(t)->axpy(a, x, y, out, n);
}
static inline size_t zcg_fir(uintptr_t t, const double *x, size_t n,
                             const double *taps, size_t nt, double *out) {
    return ZCG_T(t)->fir(x, n, taps, nt, out);
}
static inline void zcg_matmul(uintptr_t t, const double *a,
                              const double *b, double *c, size_t m) {
    ZCG_T(t)->matmul(a, b, c, m);
}

/*
 * The trampolines of the frame convention (zc_kernel.h): a small fixed set
 * that calls every kernel, whatever its buffers and scalars.
 *
 * zcg_call runs kernel fn on a frame that stays put for the life of a
 * handle (pinned Go memory), at an address cgo passes unchecked; the
 * host has filled in the buffers once and writes only lengths and
 * scalars per call.
 *
 * zcg_pass4 and zcg_pass8 build the frame on the C stack for one call:
 * the buffers are Go pointers valid for the call, or C addresses; nothing
 * of it outlives the call. They come as char pointers: every element type
 * a buffer may have holds no Go pointer, so the cgo rules hold by
 * construction, and cgo, seeing a pointer to a type without pointers,
 * has nothing to check. They assign every field rather than initialise
 * the frame: an initialiser zeroes all of it first, which gcc does with
 * rep stos, whose start-up cost was a third of a one-shot call at n = 1.
 */
typedef struct zcg_ret {
    int64_t ret;   /* the kernel's return value */
    double result; /* its float result */
} zcg_ret;

static inline int64_t zcg_call(uintptr_t fn, uintptr_t frame) {
    return ((zc_kernel_fn)fn)((zc_frame *)frame);
}

static inline void zcg_set_ctx(uintptr_t frame, uintptr_t ctx) {
    ((zc_frame *)frame)->ctx = (const void *)ctx;
}

static inline zcg_ret zcg_run(uintptr_t fn, zc_frame *f) {
    zcg_ret r;
    r.ret = ((zc_kernel_fn)fn)(f);
    r.result = f->result;
    return r;
}

static inline zcg_ret zcg_pass4(uintptr_t fn, uintptr_t ctx,
                                char *p0, char *p1, char *p2, char *p3,
                                int64_t n0, int64_t n1, int64_t n2, int64_t n3,
                                double f0, double f1, int64_t i0, int64_t i1) {
    zc_frame f;
    f.buf[0] = p0, f.buf[1] = p1, f.buf[2] = p2, f.buf[3] = p3;
    f.buf[4] = f.buf[5] = f.buf[6] = f.buf[7] = 0;
    f.len[0] = n0, f.len[1] = n1, f.len[2] = n2, f.len[3] = n3;
    f.len[4] = f.len[5] = f.len[6] = f.len[7] = 0;
    f.f[0] = f0, f.f[1] = f1, f.f[2] = f.f[3] = 0;
    f.i[0] = i0, f.i[1] = i1, f.i[2] = f.i[3] = 0;
    f.ctx = (const void *)ctx, f.result = 0;
    return zcg_run(fn, &f);
}

static inline zcg_ret zcg_pass8(uintptr_t fn, uintptr_t ctx,
                                char *p0, char *p1, char *p2, char *p3,
                                char *p4, char *p5, char *p6, char *p7,
                                int64_t n0, int64_t n1, int64_t n2, int64_t n3,
                                int64_t n4, int64_t n5, int64_t n6, int64_t n7,
                                double f0, double f1, double f2, double f3,
                                int64_t i0, int64_t i1, int64_t i2, int64_t i3) {
    zc_frame f;
    f.buf[0] = p0, f.buf[1] = p1, f.buf[2] = p2, f.buf[3] = p3;
    f.buf[4] = p4, f.buf[5] = p5, f.buf[6] = p6, f.buf[7] = p7;
    f.len[0] = n0, f.len[1] = n1, f.len[2] = n2, f.len[3] = n3;
    f.len[4] = n4, f.len[5] = n5, f.len[6] = n6, f.len[7] = n7;
    f.f[0] = f0, f.f[1] = f1, f.f[2] = f2, f.f[3] = f3;
    f.i[0] = i0, f.i[1] = i1, f.i[2] = i2, f.i[3] = i3;
    f.ctx = (const void *)ctx, f.result = 0;
    return zcg_run(fn, &f);
}

/* zcg_batch runs kernel fn with the frame constant ctx on the n items of
 * a batch's descriptor (zc_kernel.h) in pinned Go memory, passed as an
 * integer like zcg_call's frame. */
static inline void zcg_batch(uintptr_t fn, uintptr_t ctx, uintptr_t desc,
                             int64_t n) {
    zc_run_batch((zc_kernel_fn)fn, (const void *)ctx, (int64_t *)desc, n);
}

/* zcg_frame_fn returns built-in kernel k's frame function as the
 * integer the trampolines take. */
static inline uintptr_t zcg_frame_fn(int k) {
    return (uintptr_t)zc_frames[k];
}

#endif /* ZC_GO_H */
