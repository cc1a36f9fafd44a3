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
 * zcg_call_on runs kernel fn on a frame a one-shot call built on the
 * goroutine's stack for this call alone (native.Func.Call): two arguments
 * where a frame built here from arguments took up to 26, and a cgo call's
 * cost grows with its arguments. It comes as a char pointer: the frame
 * holds its buffers' addresses as integers, so it is Go memory without Go
 * pointers, and cgo, seeing a pointer to a type without pointers, has
 * nothing to check. Nothing of it outlives the call.
 */
static inline int64_t zcg_call(uintptr_t fn, uintptr_t frame) {
    return ((zc_kernel_fn)fn)((zc_frame *)frame);
}

static inline void zcg_set_ctx(uintptr_t frame, uintptr_t ctx) {
    ((zc_frame *)frame)->ctx = (const void *)ctx;
}

static inline int64_t zcg_call_on(uintptr_t fn, char *frame) {
    return ((zc_kernel_fn)fn)((zc_frame *)(void *)frame);
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
