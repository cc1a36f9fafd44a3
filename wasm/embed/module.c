/*
 * module.c - the entry file of the zerocall wasm32 module.
 *
 * build.sh links this file with native/scalar.c into zerocall.wasm, and
 * with native/simd128.c, under -msimd128, into zerocall_simd.wasm;
 * __wasm_simd128__ picks the table the exports call.
 * There is no libc and no allocator: the module owns four regions of its
 * linear memory, X, Y and Out of capacity doubles and Taps of taps
 * doubles, and the exports take lengths only (the "wasm32 module" section
 * of zerocall.h).
 *
 * Invariants
 *   - zc_init reserves the regions once, from __heap_base upward, each
 *     ZC_ALIGN-aligned, and grows memory at most once to hold them. After
 *     that memory never grows, so a host's view of memory.buffer stays
 *     valid for the life of the instance.
 *   - zcw_cap is 0 until zc_init succeeds, then the regions are fixed.
 *   - Every kernel export checks its sizes against the capacities and
 *     traps (wasm unreachable) when they are out of range, so a bad call
 *     never touches memory outside the regions. Hosts check first; this
 *     is the second line.
 */
#include <stdint.h>

#include "internal.h"

#define ZCW_EXPORT(name) __attribute__((export_name(name)))

#if defined(__wasm_simd128__)
static const zc_kernels *const zcw_k = &zc_kernels_simd128_table;
#else
static const zc_kernels *const zcw_k = &zc_kernels_scalar_table;
#endif

#define ZCW_PAGE 65536u /* bytes in a wasm page */

/* Defined by wasm-ld: the first byte past the stack and the static data. */
extern unsigned char __heap_base;

static double *zcw_x, *zcw_y, *zcw_out, *zcw_taps; /* NULL before zc_init */
static int zcw_cap, zcw_ntaps; /* in doubles; 0 before zc_init */

/* The bytes of n doubles rounded up to a multiple of ZC_ALIGN. */
static uint64_t zcw_span(int n)
{
    return ((uint64_t)n * 8 + ZC_ALIGN - 1) & ~(uint64_t)(ZC_ALIGN - 1);
}

ZCW_EXPORT("zc_init") int zcw_init(int capacity, int taps)
{
    if (zcw_cap != 0 || capacity < 1 || taps < 1 || taps > capacity)
        return ZC_ERR_ARG;
    uint64_t x = ((uintptr_t)&__heap_base + ZC_ALIGN - 1) &
                 ~(uint64_t)(ZC_ALIGN - 1);
    uint64_t span = zcw_span(capacity);
    uint64_t end = x + 3 * span + zcw_span(taps); /* < 2^37: exact */
    if (end > (uint64_t)UINT32_MAX + 1)
        return ZC_ERR_ARG;
    uint64_t have = __builtin_wasm_memory_size(0);
    uint64_t need = (end + ZCW_PAGE - 1) / ZCW_PAGE;
    if (need > have &&
        __builtin_wasm_memory_grow(0, (size_t)(need - have)) == (size_t)-1)
        return ZC_ERR_NOMEM;
    zcw_x = (double *)(uintptr_t)x;
    zcw_y = (double *)(uintptr_t)(x + span);
    zcw_out = (double *)(uintptr_t)(x + 2 * span);
    zcw_taps = (double *)(uintptr_t)(x + 3 * span);
    zcw_cap = capacity;
    zcw_ntaps = taps;
    return ZC_OK;
}

/* The byte offset of a region in linear memory. */
static int zcw_offset(const double *p) { return (int)(uintptr_t)p; }

ZCW_EXPORT("zc_x") int zcw_x_at(void) { return zcw_offset(zcw_x); }
ZCW_EXPORT("zc_y") int zcw_y_at(void) { return zcw_offset(zcw_y); }
ZCW_EXPORT("zc_out") int zcw_out_at(void) { return zcw_offset(zcw_out); }
ZCW_EXPORT("zc_taps") int zcw_taps_at(void) { return zcw_offset(zcw_taps); }
ZCW_EXPORT("zc_capacity") int zcw_capacity(void) { return zcw_cap; }
ZCW_EXPORT("zc_taps_capacity") int zcw_taps_cap(void) { return zcw_ntaps; }

/* Traps unless zc_init has run and 0 <= n <= limit. */
static void zcw_within(int64_t n, int64_t limit)
{
    if (zcw_cap == 0 || n < 0 || n > limit)
        __builtin_trap();
}

ZCW_EXPORT("sum") double zcw_sum(int n)
{
    zcw_within(n, zcw_cap);
    return zcw_k->sum(zcw_x, (size_t)n);
}

ZCW_EXPORT("dot") double zcw_dot(int n)
{
    zcw_within(n, zcw_cap);
    return zcw_k->dot(zcw_x, zcw_y, (size_t)n);
}

/* Out = a*X + Y */
ZCW_EXPORT("axpy") void zcw_axpy(double a, int n)
{
    zcw_within(n, zcw_cap);
    zcw_k->axpy(a, zcw_x, zcw_y, zcw_out, (size_t)n);
}

/* Out[:n-k+1] = FIR of X[:n] with Taps[:k]; n-k+1 <= capacity. */
ZCW_EXPORT("fir") int zcw_fir(int n, int k)
{
    zcw_within(n, zcw_cap);
    zcw_within(k, zcw_ntaps);
    return (int)zcw_k->fir(zcw_x, (size_t)n, zcw_taps, (size_t)k, zcw_out);
}

/* Out = X*Y, all m-by-m. */
ZCW_EXPORT("matmul") void zcw_matmul(int m)
{
    zcw_within(m, zcw_cap);
    zcw_within((int64_t)m * m, zcw_cap); /* exact: 0 <= m < 2^31 */
    zcw_k->matmul(zcw_x, zcw_y, zcw_out, (size_t)m);
}

ZCW_EXPORT("noop") void zc_noop(void) {}
