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
 * Each runs the kernel on a zcg_frame, a frame followed by a slot for
 * the kernel's return, and leaves the return there: a C function with
 * no result costs cgo less to call, as its wrapper then skips the two
 * look-ups of the goroutine's stack top that it makes around a call with
 * one (in case a callback into Go moved the stack its result goes to).
 *
 * zcg_run runs kernel fn on a frame that stays put for the life of a
 * handle (pinned Go memory), at an address cgo passes unchecked; the
 * host has filled in the buffers once and writes only lengths and
 * scalars per call.
 *
 * zcg_run_on runs kernel fn on a frame a one-shot call built on the
 * goroutine's stack for this call alone (native.Func.Call): two arguments
 * where a frame built here from arguments took up to 26, and a cgo call's
 * cost grows with its arguments. It comes as a char pointer: the frame
 * holds its buffers' addresses as integers, so it is Go memory without Go
 * pointers, and cgo, seeing a pointer to a type without pointers, has
 * nothing to check. Nothing of it outlives the call.
 */
typedef struct zcg_frame {
    zc_frame fr;
    int64_t ret; /* the kernel's return */
} zcg_frame;

static inline void zcg_run(uintptr_t fn, uintptr_t frame) {
    zcg_frame *b = (zcg_frame *)frame;
    b->ret = ((zc_kernel_fn)fn)(&b->fr);
}

static inline void zcg_set_ctx(uintptr_t frame, uintptr_t ctx) {
    ((zc_frame *)frame)->ctx = (const void *)ctx;
}

static inline void zcg_run_on(uintptr_t fn, char *frame) {
    zcg_run(fn, (uintptr_t)(void *)frame);
}

/* zcg_batch runs kernel fn with the frame constant ctx on the n items of
 * a batch's descriptor (zc_kernel.h) in pinned Go memory, passed as an
 * integer like zcg_run's frame. */
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
