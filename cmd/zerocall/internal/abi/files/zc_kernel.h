/*
 * zc_kernel.h - the calling convention of kernels that zerocall calls:
 * yours and its own. This file stands alone (it needs only <stdint.h>) so
 * that a C project can copy it and build kernels against it, into a Go
 * package of its own through cgo or into a shared library that Go loads
 * at run time; native/zerocall.h includes it.
 *
 * One signature for every kernel
 *   A kernel is a C function
 *
 *       int64_t my_kernel(zc_frame *f);
 *
 *   whose arguments arrive in a frame: the address and the length of each
 *   buffer, in the order the kernel's Go description declares them, then
 *   its scalars. A kernel with a float result stores it in f->result. So
 *   one fixed trampoline on the Go side calls any kernel, whatever its
 *   buffers and scalars, and a call allocates nothing on either side.
 *
 *   Example: y = a*x + y on float32, declared in Go as buffers x (float32,
 *   in) and y (float32, in-out) and one float scalar a:
 *
 *       int64_t saxpy(zc_frame *f)
 *       {
 *           const float *x = f->buf[0];
 *           float *y = f->buf[1];
 *           float a = (float)f->f[0];
 *           int64_t n = f->len[0] < f->len[1] ? f->len[0] : f->len[1];
 *           for (int64_t i = 0; i < n; i++)
 *               y[i] = a * x[i] + y[i];
 *           return n;
 *       }
 *
 * The frame
 *   buf[i]  address of buffer i's first element, aligned to its
 *           element's size at least; 64 bytes for the regions of an
 *           instance. When len[i] is 0 it is NULL or any address (a
 *           handle's frame keeps its region's), and is not to be read.
 *   len[i]  the elements of buffer i this call may read or write: 0 <=
 *           len[i], and never more than the buffer holds.
 *   f[j]    the float scalars, in declared order (a float32 scalar comes
 *           as a double; convert it).
 *   i[j]    the integer scalars, in declared order.
 *   ctx     a constant of the implementation, given when it was
 *           registered (zerocall's own kernels find their variant's table
 *           there); NULL for most user kernels.
 *   result  where a kernel with a float result stores it.
 *   Entries past the kernel's declared buffers and scalars are unspecified.
 *
 * The return value
 *   >= 0    success. A kernel declared with a count result returns the
 *           number of elements it wrote to its counted buffer, its first
 *           ones (it leaves the rest as they were); the host checks that
 *           it lies within that buffer's len, and treats any other value
 *           as a failure of the kernel.
 *   < 0     failure: a status code of zerocall.h, negated: -1
 *           (ZC_ERR_ARG) for arguments out of range, -4 (ZC_ERR_CAPACITY)
 *           for a size past what the kernel handles. The host reports it
 *           as the matching error and the instance stays usable.
 *
 * Rules a kernel keeps
 *   - It reads and writes buffer i only within [0, len[i]), never keeps
 *     a pointer after it returns, and does not write the frame's inputs.
 *   - It is reentrant: different threads may call it at once on different
 *     frames and disjoint outputs.
 *   - It neither blocks nor calls back into Go.
 *   - It leaves the floating-point control state as it found it: MXCSR
 *     on x86-64, FPCR on AArch64, that is the rounding mode, flush to
 *     zero and denormals are zero, and the exception masks. A kernel
 *     runs on the thread of the Go code that calls it, and that code's
 *     own float math then runs in whatever state the kernel left: with
 *     flush to zero set, Go's subnormal results become 0. A kernel that
 *     wants another state saves the one it finds (fegetenv, or
 *     _mm_getcsr) and restores it before it returns, on every return.
 *     The exception flags (MXCSR's status bits, FPSR) may change.
 */
#ifndef ZC_KERNEL_H
#define ZC_KERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most buffers and scalars of each kind a kernel may declare. */
#define ZC_MAX_BUFFERS 8
#define ZC_MAX_SCALARS 4

/* zc_frame holds the arguments of one call; see above. */
typedef struct zc_frame {
    void *buf[ZC_MAX_BUFFERS];
    int64_t len[ZC_MAX_BUFFERS];
    double f[ZC_MAX_SCALARS];
    int64_t i[ZC_MAX_SCALARS];
    const void *ctx;
    double result;
} zc_frame;

/* zc_kernel_fn is the type of every kernel. */
typedef int64_t (*zc_kernel_fn)(zc_frame *f);

/*
 * Variants: one body, the CPU's best instructions
 *   The built-in kernels run AVX2 or AVX-512 code where the CPU has it,
 *   chosen at run time. A kernel of yours gets the same from its one C
 *   body, with no -march flag (which would make code that faults on an
 *   older CPU): write the body as a ZC_BODY function and let ZC_VARIANTS
 *   compile it once per instruction set, with per-function target
 *   attributes, in the manner of xxHash's dispatch:
 *
 *       ZC_BODY int64_t scale_body(zc_frame *f)
 *       {
 *           ... the plain C loop ...
 *       }
 *       ZC_VARIANTS(scale, scale_body);
 *
 *   defines, on x86-64,
 *
 *       int64_t scale(zc_frame *f);           the baseline (SSE2)
 *       int64_t scale_avx2(zc_frame *f);      AVX2 + FMA
 *       int64_t scale_avx512(zc_frame *f);    AVX-512F
 *       const zc_variants scale_variants;     the table of them
 *
 *   and on other targets the baseline and its table (on AArch64 the
 *   baseline is NEON code, listed as both scalar and neon; in a wasm
 *   module, the function alone, which the host calls by its export). Go picks one
 *   with native.NewVariant(k, unsafe.Pointer(&C.scale_variants), v):
 *   zerocall.Auto is the best this CPU and its OS run, capped by
 *   ZEROCALL_VARIANT as for the built-ins; any other v is forced, and
 *   refused where the CPU cannot run it. native.Library's Func picks from
 *   <symbol>_variants by itself when the library has that table. Only
 *   the compiler's auto-vectorizer makes use of the wider registers: a
 *   body that uses intrinsics belongs in a variant of its own.
 *
 *   The variants' functions must not be called unchecked: scale_avx512
 *   faults on a CPU without AVX-512. A table's slots are the values of
 *   zerocall.Variant (zc_variant in zerocall.h); an empty slot is NULL.
 */
#define ZC_VARIANT_SLOTS 8

typedef struct zc_variants {
    zc_kernel_fn fn[ZC_VARIANT_SLOTS];
} zc_variants;

/*
 * One rounding per operation, in every variant
 *   A compiler may fuse a*b + c into one fused multiply-add, with one
 *   rounding where the C says two, wherever the target has FMA: clang
 *   does by default, gcc in its GNU modes (its default, with no -std).
 *   Then the AVX2 and AVX-512 variants, and the arm64 baseline, give
 *   other results than the x86-64 baseline and a Go version of the same
 *   loop. This header turns that off for the rest of the file that
 *   includes it, as -ffp-contract=off would: include it first (clang
 *   settles an expression's rounding where it reads it, so a helper of a
 *   header included before this one may still be fused; -ffp-contract=off
 *   covers the whole file). A native kernel that wants fused operations
 *   calls fma() or fmaf() for them; a wasm module has no C library, and
 *   WebAssembly no fused multiply-add. An explicit -ffp-contract=fast on
 *   clang's command line still fuses.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ZC_BODY static inline __attribute__((always_inline))
#else
#define ZC_BODY static inline
#endif

/* ZC_EXPORT gives what ZC_VARIANTS defines C linkage in C++ too (a
 * shared library's symbols, which Go looks up by their C names). The
 * variants are declared before they are defined, for
 * -Wmissing-prototypes, and their table is filled by position, which C
 * and C++ both take (slots by zc_variant: 1 scalar, 2 AVX2, 3 AVX-512,
 * 5 NEON). A library that exports only what it marks (built with
 * -fvisibility=hidden, or a DLL with __declspec(dllexport) anywhere)
 * defines ZC_EXPORT before it includes this header, with the mark:
 *     #define ZC_EXPORT extern __attribute__((visibility("default")))
 *     #define ZC_EXPORT extern __declspec(dllexport)
 * (extern "C" first in C++). */
#ifndef ZC_EXPORT
#ifdef __cplusplus
#define ZC_EXPORT extern "C"
#else
#define ZC_EXPORT extern
#endif
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZC_VARIANTS(name, body)                                                \
    ZC_EXPORT int64_t name(zc_frame *f);                                       \
    ZC_EXPORT int64_t name##_avx2(zc_frame *f);                                \
    ZC_EXPORT int64_t name##_avx512(zc_frame *f);                              \
    ZC_EXPORT const zc_variants name##_variants;                               \
    int64_t name(zc_frame *f) { return body(f); }                              \
    __attribute__((target("avx2,fma"))) int64_t name##_avx2(zc_frame *f)       \
    {                                                                          \
        return body(f);                                                        \
    }                                                                          \
    __attribute__((target("avx512f,avx2,fma"))) int64_t name##_avx512(         \
        zc_frame *f)                                                           \
    {                                                                          \
        return body(f);                                                        \
    }                                                                          \
    const zc_variants name##_variants = {{0, name, name##_avx2, name##_avx512}}
#elif defined(__aarch64__)
#define ZC_VARIANTS(name, body)                                                \
    ZC_EXPORT int64_t name(zc_frame *f);                                       \
    ZC_EXPORT const zc_variants name##_variants;                               \
    int64_t name(zc_frame *f) { return body(f); }                              \
    const zc_variants name##_variants = {{0, name, 0, 0, 0, name}}
#elif defined(__wasm__)
/* A module's host calls the export by name: no table (which would give
 * the module a table of functions, and change its bytes). */
#define ZC_VARIANTS(name, body)                                                \
    ZC_EXPORT int64_t name(zc_frame *f);                                       \
    int64_t name(zc_frame *f) { return body(f); }                              \
    typedef int zc_variants_of_##name
#else
#define ZC_VARIANTS(name, body)                                                \
    ZC_EXPORT int64_t name(zc_frame *f);                                       \
    ZC_EXPORT const zc_variants name##_variants;                               \
    int64_t name(zc_frame *f) { return body(f); }                              \
    const zc_variants name##_variants = {{0, name}}
#endif

/*
 * Batches
 *   A batch is many calls of one kernel made in one crossing. The host
 *   writes one item per call into a descriptor buffer that stays put, and
 *   zc_run_batch runs them in order. Items are independent calls: one
 *   that fails (a negative return) does not stop the others, and the
 *   host reports each one's outcome on its own.
 *
 *   The descriptor is 64-bit words: a header of ZC_BATCH_HEADER words,
 *   the kernel's number of buffers, float scalars and integer scalars
 *   (nb, nf, ni) and one reserved; then the items, each of
 *   ZC_BATCH_ITEM_WORDS(nb, nf, ni) words:
 *
 *       addr[nb]  each buffer's address (an offset, in wasm32)
 *       len[nb]   each buffer's length
 *       f[nf]     the float scalars, as doubles
 *       i[ni]     the integer scalars
 *       ret       out: the kernel's return value
 *       result    out: its float result
 *
 *   Compact items keep a batch of a thousand small calls in the first
 *   level of cache; each call runs on a frame built on the C stack.
 */
#define ZC_BATCH_HEADER 4
#define ZC_BATCH_ITEM_WORDS(nb, nf, ni) (2 * (nb) + (nf) + (ni) + 2)

/* zc_run_batch runs kernel fn, with the frame constant ctx, on the n
 * items of the descriptor desc. */
static inline void zc_run_batch(zc_kernel_fn fn, const void *ctx,
                                int64_t *desc, int64_t n)
{
    const int64_t nb = desc[0], nf = desc[1], ni = desc[2];
    if (nb < 0 || nb > ZC_MAX_BUFFERS || nf < 0 || nf > ZC_MAX_SCALARS ||
        ni < 0 || ni > ZC_MAX_SCALARS)
        return; /* before the item's size: a bad header must not overflow it */
    const int64_t words = ZC_BATCH_ITEM_WORDS(nb, nf, ni);
    int64_t *it = desc + ZC_BATCH_HEADER;
    zc_frame f = {{0}, {0}, {0}, {0}, ctx, 0};
    for (int64_t j = 0; j < n; j++, it += words) {
        for (int64_t b = 0; b < nb; b++) {
            f.buf[b] = (void *)(uintptr_t)it[b];
            f.len[b] = it[nb + b];
        }
        for (int64_t k = 0; k < nf; k++) {
            union { int64_t w; double d; } u = {it[2 * nb + k]};
            f.f[k] = u.d;
        }
        for (int64_t k = 0; k < ni; k++)
            f.i[k] = it[2 * nb + nf + k];
        f.result = 0;
        it[words - 2] = fn(&f);
        union { double d; int64_t w; } r = {f.result};
        it[words - 1] = r.w;
    }
}

#ifdef __cplusplus
}
#endif

#endif /* ZC_KERNEL_H */
