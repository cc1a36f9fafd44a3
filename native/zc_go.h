/*
 * zc_go.h - the calls the native package makes, as static inline
 * trampolines through a variant's table of kernels.
 *
 * The table comes as an integer: it is static C memory, and a pointer
 * argument would cost a cgo pointer check on every call for nothing. The
 * plain forms take Go pointers that are valid for the duration of the
 * call; cgo checks them on every call. The _at forms take the address of
 * memory that stays put for the life of an instance (pinned Go memory or
 * C memory) as an integer, which cgo passes through unchecked: the check
 * was paid once, when the memory was pinned or allocated.
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

static inline double zcg_sum_at(uintptr_t t, uintptr_t x, size_t n) {
    return ZCG_T(t)->sum((const double *)x, n);
}
static inline double zcg_dot_at(uintptr_t t, uintptr_t x, uintptr_t y,
                                size_t n) {
    return ZCG_T(t)->dot((const double *)x, (const double *)y, n);
}
static inline void zcg_axpy_at(uintptr_t t, double a, uintptr_t x,
                               uintptr_t y, uintptr_t out, size_t n) {
    ZCG_T(t)->axpy(a, (const double *)x, (const double *)y, (double *)out, n);
}
static inline size_t zcg_fir_at(uintptr_t t, uintptr_t x, size_t n,
                                uintptr_t taps, size_t nt, uintptr_t out) {
    return ZCG_T(t)->fir((const double *)x, n, (const double *)taps, nt,
                  (double *)out);
}
static inline void zcg_matmul_at(uintptr_t t, uintptr_t a, uintptr_t b,
                                 uintptr_t c, size_t m) {
    ZCG_T(t)->matmul((const double *)a, (const double *)b, (double *)c, m);
}

#endif /* ZC_GO_H */
