/*
 * zc_go.h - the calls the native package makes, as static inline
 * trampolines through a variant's table of kernels.
 *
 * The plain forms take Go pointers that are valid for the duration of the
 * call; cgo checks them on every call. The _at forms take the address of
 * memory that stays put for the life of an instance (pinned Go memory or
 * C memory) as an integer, which cgo passes through unchecked: the check
 * was paid once, when the memory was pinned or allocated.
 */
#ifndef ZC_GO_H
#define ZC_GO_H

#include <stdint.h>
#include "zerocall.h"

static inline double zcg_sum(const zc_kernels *k, const double *x, size_t n) {
    return k->sum(x, n);
}
static inline double zcg_dot(const zc_kernels *k, const double *x,
                             const double *y, size_t n) {
    return k->dot(x, y, n);
}
static inline void zcg_axpy(const zc_kernels *k, double a, const double *x,
                            const double *y, double *out, size_t n) {
    k->axpy(a, x, y, out, n);
}
static inline size_t zcg_fir(const zc_kernels *k, const double *x, size_t n,
                             const double *taps, size_t nt, double *out) {
    return k->fir(x, n, taps, nt, out);
}
static inline void zcg_matmul(const zc_kernels *k, const double *a,
                              const double *b, double *c, size_t m) {
    k->matmul(a, b, c, m);
}

static inline double zcg_sum_at(const zc_kernels *k, uintptr_t x, size_t n) {
    return k->sum((const double *)x, n);
}
static inline double zcg_dot_at(const zc_kernels *k, uintptr_t x, uintptr_t y,
                                size_t n) {
    return k->dot((const double *)x, (const double *)y, n);
}
static inline void zcg_axpy_at(const zc_kernels *k, double a, uintptr_t x,
                               uintptr_t y, uintptr_t out, size_t n) {
    k->axpy(a, (const double *)x, (const double *)y, (double *)out, n);
}
static inline size_t zcg_fir_at(const zc_kernels *k, uintptr_t x, size_t n,
                                uintptr_t taps, size_t nt, uintptr_t out) {
    return k->fir((const double *)x, n, (const double *)taps, nt,
                  (double *)out);
}
static inline void zcg_matmul_at(const zc_kernels *k, uintptr_t a, uintptr_t b,
                                 uintptr_t c, size_t m) {
    k->matmul((const double *)a, (const double *)b, (double *)c, m);
}

#endif /* ZC_GO_H */
