/*
 * zerocall.h - the zerocall C ABI.
 *
 * This header is the one contract between the C kernels and every host that
 * calls them: the cgo backend calls these functions directly, and the wasm32
 * module is built from the same sources and exposes the same kernels over
 * fixed regions of its linear memory. A new kernel, or a new variant of an
 * existing one, is added here first.
 *
 * Kernels of your own
 *   zc_kernel.h, included below, is the calling convention every kernel
 *   follows when the Go hosts call it through a frame: a user's, and the
 *   built-ins' zc_frame_* functions declared at the end of this file.
 *
 * Types and units
 *   All data is IEEE-754 binary64 (double). Lengths are counts of elements,
 *   never bytes, and are size_t.
 *
 * Kernels (x, y, taps, a, b are inputs; out and c are outputs)
 *   sum(x, n)                 = x[0] + ... + x[n-1]; 0 when n == 0
 *   dot(x, y, n)              = x[0]*y[0] + ... + x[n-1]*y[n-1]; 0 when n == 0
 *   axpy(a, x, y, out, n)     out[i] = a*x[i] + y[i] for i < n
 *   fir(x, n, taps, k, out)   valid-mode FIR: out[i] = sum_{j<k} taps[j]*x[i+j]
 *                             for i <= n-k; returns n-k+1, the number of
 *                             values written. Taps are stored in the order
 *                             they meet the input (the reversed impulse
 *                             response). Returns 0 and writes nothing when
 *                             k == 0 or k > n.
 *   matmul(a, b, c, m)        c = a*b for square row-major m-by-m matrices;
 *                             c is overwritten. m == 0 does nothing.
 *
 * Pointer rules
 *   - Any alignment of 8 bytes (the alignment of double) is accepted; the
 *     vector variants use unaligned loads. Buffers from zc_alloc are aligned
 *     to ZC_ALIGN bytes, which is the fast case.
 *   - When n (or k, or m) is 0 the pointers are not read and may be NULL.
 *   - axpy allows out == x or out == y (exactly equal, not a partial
 *     overlap). fir and matmul outputs must not overlap their inputs.
 *   - Kernels never read or write outside the ranges above, keep no
 *     pointer after they return, and need no libc: the same code builds
 *     for a freestanding wasm32 target. They allocate nothing, with one
 *     exception: natively, the vector variants' matmul from m = 128 on
 *     takes the panel of b it packs (16 to 96 KiB) from the heap, once per
 *     product and freed before it returns, rather than from the calling
 *     thread's stack, which may be small; if that memory cannot be had,
 *     the product runs unpacked, to the same result.
 *   - Kernels are reentrant: any number of threads may call them at once on
 *     disjoint outputs.
 *
 * Results of different variants
 *   The scalar variant is the reference: it adds in index order, one
 *   rounding per operation, exactly like the naive loop of any language.
 *   Vector variants keep several partial sums and use fused multiply-add,
 *   so a reduction of n terms t_i may differ from the reference, but by no
 *   more than 2*n*u*sum(|t_i|) + 2*n*2^-1074 (u = 2^-53, the unit
 *   roundoff; the second term allows for products that underflow), while
 *   neither order of the arithmetic overflows (see Inf below). For
 *   sum the terms are x[i], for dot x[i]*y[i], for fir and matmul those of
 *   each output's own sum of k or m products. axpy differs from a*x[i] +
 *   y[i] rounded twice by at most 4*u*(|a*x[i]| + |y[i]|) + 2*2^-1074 per
 *   element. NaN in any input term gives NaN; +Inf and -Inf together give
 *   NaN; one sign of Inf alone gives that Inf - unless finite inputs
 *   overflow, in a product or a partial sum, which different orders of
 *   addition do at different points and a fused multiply-add, which
 *   keeps its product exact, may not do at all. simd128 has no fused
 *   multiply-add (it multiplies, then adds), so its axpy equals the
 *   scalar one exactly.
 *
 * The wasm32 modules
 *   wasm/embed/build.sh builds zerocall.wasm (scalar) and zerocall_simd.wasm
 *   (simd128) in the zerocall module ABI (wasm/module/zc_module.h), the
 *   one any user's module follows: each imports nothing and exports
 *   "memory", zc_abi_version, zc_reserve, and one kernel (frame i32) -> i64
 *   per built-in, named in wasm/embed/exports.txt (sum, dot, axpy, fir,
 *   matmul, and the empty noop). A kernel export runs the zc_frame_*
 *   adapter below on the module's table: a host reserves a frame per
 *   kernel and the regions once, writes the regions' offsets into the
 *   frames, and per call only the lengths and scalars.
 */
#ifndef ZEROCALL_H
#define ZEROCALL_H

#include <stddef.h>
#include <stdint.h>

#include "zc_kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZC_VERSION_MAJOR 0
#define ZC_VERSION_MINOR 1
#define ZC_VERSION_PATCH 0

/* ZC_ALIGN is the alignment, in bytes, of every buffer zerocall allocates:
 * one cache line, and the width of an AVX-512 register. */
#define ZC_ALIGN 64

/* Status codes returned by the functions below that can fail. */
typedef enum zc_status {
    ZC_OK = 0,
    ZC_ERR_ARG = 1,         /* an argument is out of its documented range */
    ZC_ERR_UNSUPPORTED = 2, /* the variant is unknown or this CPU lacks it */
    ZC_ERR_NOMEM = 3,       /* an allocation failed */
    ZC_ERR_CAPACITY = 4     /* a size exceeds a fixed buffer's capacity */
} zc_status;

/* Variant IDs are small integers that index the dispatch table, and the
 * Go side's native.Variant takes the same values. ZC_VARIANT_AUTO, 0,
 * stands for the dispatcher's choice, so that a zero value means "the
 * best there is". A variant is "supported" when it was compiled in and
 * the CPU (and, for x86-64, the operating system's saved register state)
 * can run it. */
typedef enum zc_variant {
    ZC_VARIANT_AUTO = 0,    /* whichever zc_kernels_best chooses */
    ZC_VARIANT_SCALAR = 1,  /* portable C, the reference */
    ZC_VARIANT_AVX2 = 2,    /* x86-64 AVX2 + FMA, 4 lanes */
    ZC_VARIANT_AVX512 = 3,  /* x86-64 AVX-512F, 8 lanes */
    ZC_VARIANT_SIMD128 = 4, /* WebAssembly SIMD128, 2 lanes */
    ZC_VARIANT_NEON = 5,    /* AArch64 Advanced SIMD + FMA, 2 lanes */
    ZC_VARIANT_COUNT = 6
} zc_variant;

/* The kernel signatures. Every variant implements all five. */
typedef double (*zc_sum_fn)(const double *x, size_t n);
typedef double (*zc_dot_fn)(const double *x, const double *y, size_t n);
typedef void (*zc_axpy_fn)(double a, const double *x, const double *y,
                           double *out, size_t n);
typedef size_t (*zc_fir_fn)(const double *x, size_t n, const double *taps,
                            size_t k, double *out);
typedef void (*zc_matmul_fn)(const double *a, const double *b, double *c,
                             size_t m);

/* zc_kernels is one variant's table of kernels. Tables are static and live
 * for the whole process. */
typedef struct zc_kernels {
    zc_variant variant;
    const char *name; /* "scalar", "avx2", "avx512", "neon", "simd128" */
    zc_sum_fn sum;
    zc_dot_fn dot;
    zc_axpy_fn axpy;
    zc_fir_fn fir;
    zc_matmul_fn matmul;
} zc_kernels;

/* zc_kernels_for returns the table of variant v, or NULL when v is not
 * supported on this machine; for ZC_VARIANT_AUTO, zc_kernels_best(). */
const zc_kernels *zc_kernels_for(int v);

/* zc_kernels_best returns the table the dispatcher chose: the best variant
 * this CPU supports, decided once and cached. The environment variable
 * ZEROCALL_VARIANT (scalar, avx2, avx512, neon), read at that first decision,
 * caps the choice at the named variant, so that every variant present can
 * be forced from outside; an unknown or unsupported name is ignored. */
const zc_kernels *zc_kernels_best(void);

/* zc_variant_force makes v the variant of the dispatched functions below
 * and of later zc_kernels_best calls; ZC_VARIANT_AUTO makes it the
 * dispatcher's own choice again. It returns ZC_ERR_UNSUPPORTED, and
 * changes nothing, when v is not supported here. Safe to call from any
 * thread; calls already running finish on the variant they started on. */
zc_status zc_variant_force(int v);

/* zc_variant_pick returns the variant of table t (see ZC_VARIANTS in
 * zc_kernel.h) to run for v: for ZC_VARIANT_AUTO, the best that this
 * machine supports and t holds, or cap if it is one of those (the caller
 * passes the variant ZEROCALL_VARIANT names, 0 for none, as the built-ins
 * are capped); otherwise v itself if it is supported here and in t. -1
 * when there is none. */
int zc_variant_pick(const zc_variants *t, int v, int cap);

/* zc_variant_name returns the name of v ("auto" for ZC_VARIANT_AUTO), or
 * "unknown": the one table of names, which the Go side uses too. */
const char *zc_variant_name(int v);

/* The dispatched kernels: each calls the chosen variant's kernel. */
double zc_sum(const double *x, size_t n);
double zc_dot(const double *x, const double *y, size_t n);
void zc_axpy(double a, const double *x, const double *y, double *out,
             size_t n);
size_t zc_fir(const double *x, size_t n, const double *taps, size_t k,
              double *out);
void zc_matmul(const double *a, const double *b, double *c, size_t m);

/* zc_alloc returns n zeroed doubles aligned to ZC_ALIGN bytes, or NULL when
 * n == 0, when n*8 overflows, or when memory is short. Memory from zc_alloc
 * is owned by C and is released with zc_free and nothing else. Native
 * builds only: the wasm module owns its regions statically. */
double *zc_alloc(size_t n);

/* zc_free releases memory from zc_alloc. zc_free(NULL) does nothing. */
void zc_free(double *p);

/* The built-in kernels in the calling convention of zc_kernel.h, with the
 * variant's table as the frame's ctx (native builds only), also listed in
 * zc_frames by their zc_builtin number, the order of package kernel's
 * Builtins:
 *   zc_frame_sum     buf x;           result = sum
 *   zc_frame_dot     buf x, y;        result = dot
 *   zc_frame_axpy    buf x, y, out;   f[0] = a
 *   zc_frame_fir     buf x, taps, out; returns the outputs written
 *   zc_frame_matmul  buf a, b, c;     i[0] = m
 * Each returns -ZC_ERR_ARG, touching nothing, when the lengths do not fit
 * the kernel (dot of unequal lengths, fir with no taps, m*m past a
 * buffer). */
int64_t zc_frame_sum(zc_frame *f);
int64_t zc_frame_dot(zc_frame *f);
int64_t zc_frame_axpy(zc_frame *f);
int64_t zc_frame_fir(zc_frame *f);
int64_t zc_frame_matmul(zc_frame *f);

typedef enum zc_builtin {
    ZC_BUILTIN_SUM,
    ZC_BUILTIN_DOT,
    ZC_BUILTIN_AXPY,
    ZC_BUILTIN_FIR,
    ZC_BUILTIN_MATMUL,
    ZC_BUILTIN_COUNT
} zc_builtin;

extern const zc_kernel_fn zc_frames[ZC_BUILTIN_COUNT];

/* zc_noop does nothing. Hosts call it to measure the bare cost of a call
 * across their boundary. */
void zc_noop(void);

#ifdef __cplusplus
}
#endif

#endif /* ZEROCALL_H */
