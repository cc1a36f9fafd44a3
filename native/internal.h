/*
 * internal.h - what the zerocall sources share and hosts do not see.
 *
 * Each source file compiles on its own, and may also be #included together
 * with the others into one translation unit, so file-scope names carry
 * their file's prefix (scalar_, avx2_, avx512_, simd128_, neon_, zc_) and no
 * macro is defined twice.
 */
#ifndef ZEROCALL_INTERNAL_H
#define ZEROCALL_INTERNAL_H

#include "zerocall.h"

/* The scalar kernels round every product and every sum (the ABI header's
 * "Results of different variants"), so a*b + c must never be contracted
 * into a fused multiply-add. Every build passes -ffp-contract=off (the
 * flags in native/CFLAGS) except cgo's, whose #cgo directives may not
 * carry that flag; this pragma holds for clang, and gcc contracts nothing
 * under -std=c11 unless told to. The vector variants fuse on purpose,
 * with intrinsics, which the pragma does not affect. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* ZC_HAVE_X86 is 1 where the AVX2 and AVX-512 variants are compiled in. */
#if defined(__x86_64__)
#define ZC_HAVE_X86 1
#else
#define ZC_HAVE_X86 0
#endif

/* ZC_HAVE_NEON is 1 where the NEON variant is compiled in: AArch64, where
 * Advanced SIMD is part of the base architecture. */
#if defined(__aarch64__) && defined(__ARM_NEON)
#define ZC_HAVE_NEON 1
#else
#define ZC_HAVE_NEON 0
#endif

/* ZC_IN_REGISTER(v) keeps the vector v in a register where it is: gcc
 * otherwise folds a vector loaded once and used by several fused
 * multiply-adds back into each of them as a memory operand, and matmul's
 * tiles then load b's row once per row of a instead of once, which makes
 * them wait on the loads. An empty asm statement that may change v forbids
 * that and emits nothing (xxHash guards its loops the same way). Clang
 * keeps such a vector in a register by itself. */
#if defined(__GNUC__) && !defined(__clang__) && ZC_HAVE_X86
#define ZC_IN_REGISTER(v) __asm__("" : "+v"(v))
#else
#define ZC_IN_REGISTER(v) ((void)0)
#endif

/* ZC_ASM_ENTRY marks a function that no table holds, kept out of line for
 * the Go assembly backend (asm/), which translates each function on its
 * own: <variant>_matmul_part(p) computes one part of a product (see
 * zc_matmul_part), which bounds the work of one call. The variant's
 * matmul is the whole product as one part. */
#define ZC_ASM_ENTRY __attribute__((used))

/* zc_matmul_part is a block of rows [0, rows) and columns [0, cols) of a
 * product, over the terms [0, depth) of each output's sum:
 *
 *     c[i][j] = (add ? c[i][j] : 0) + sum over p < depth of a[i][p]*b[p][j]
 *
 * in order of p, where a and c have m values per row and b has ldb (m,
 * or the width of a packed copy of b's columns). Called on a + i*m + d,
 * b + d*m + j (or a copy of those rows of b) and c + i*m + j, with add for
 * every part but the first of an output (d > 0), the parts of a product
 * leave in c what the whole product does, to the last bit: each output's
 * sum goes on where the part before it stopped. asm/ keeps a copy of the
 * layout. */
typedef struct zc_matmul_part {
    const double *a, *b;
    double *c;
    size_t m, rows, cols, depth;
    size_t add, ldb;
} zc_matmul_part;
_Static_assert(sizeof(zc_matmul_part) == 9 * sizeof(size_t), "zc_matmul_part: nine words, as asm/ lays it out");

/* ZC_MATMUL_PACK_FROM is the order from which the vector variants' whole
 * products pack b (zc_matmul_packed): below it, b's panel stays in cache
 * as it lies, and the copy costs more than it saves (measured on Zen 5,
 * AVX2 and AVX-512: equal at 128, ahead from 256 on, 1.6 to 2.2 times
 * faster at 1024). */
#define ZC_MATMUL_PACK_FROM 128

/* zc_matmul_packed sets c = a*b for m x m matrices in the order of
 * GotoBLAS: for each range of at most kc terms, each block of at most mc
 * rows, each panel of w columns (the variant's width), the panel's rows of
 * b are copied into pack (kc rows of w values, columns past m zero) and
 * part, the variant's, runs the block on the copy. The block's kc terms of
 * a (mc*kc values) stay in L2 while every panel passes under them, and the
 * panel in L1 while the block's rows pass over it; copying b again for
 * each block of rows costs 1/mc of the multiply-adds. Rows of b that lie m
 * values apart also fall into the same few sets of the cache when m is a
 * power of two, where their copy, read in order, does not. Each output's
 * parts still come in order of their terms, and the copy is exact, so the
 * result is part's on b itself, to the last bit. */
static inline void zc_matmul_packed(const double *a, const double *b,
                                    double *c, size_t m, double *pack,
                                    size_t kc, size_t mc, size_t w,
                                    void (*part)(const zc_matmul_part *))
{
    for (size_t d = 0; d < m; d += kc) {
        const size_t depth = m - d < kc ? m - d : kc;
        for (size_t i = 0; i < m; i += mc) {
            const size_t rows = m - i < mc ? m - i : mc;
            for (size_t j = 0; j < m; j += w) {
                const size_t cols = m - j < w ? m - j : w;
                for (size_t p = 0; p < depth; p++)
                    for (size_t q = 0; q < w; q++)
                        pack[p * w + q] = q < cols ? b[(d + p) * m + j + q] : 0.0;
                const zc_matmul_part pt = {a + i * m + d, pack, c + i * m + j, m, rows, cols, depth, d > 0, w};
                part(&pt);
            }
        }
    }
}

/* zc_alloc_uninit is zc_alloc without the zeroing, for scratch memory
 * that is written before it is read; zc_free releases it. */
double *zc_alloc_uninit(size_t n);

/* zc_matmul_blocked is a native variant's whole product: one part below
 * ZC_MATMUL_PACK_FROM, and from it on zc_matmul_packed on a panel buffer
 * of kc*w doubles from zc_alloc_uninit. The buffer is on the heap, not the
 * stack, because a kernel runs on whatever thread calls it: a cgo call on
 * one of Go's threads, whose stacks are the C library's default (128 KiB
 * on musl), or a thread of the caller's with less. One allocation per
 * product costs nothing beside the product's m^3 multiply-adds; when
 * memory is short the product runs as one part, to the same result. */
static inline void zc_matmul_blocked(const double *a, const double *b,
                                     double *c, size_t m, size_t kc,
                                     size_t mc, size_t w,
                                     void (*part)(const zc_matmul_part *))
{
    double *pack = m < ZC_MATMUL_PACK_FROM ? NULL : zc_alloc_uninit(kc * w);
    if (pack == NULL) {
        const zc_matmul_part whole = {a, b, c, m, m, m, m, 0, m};
        part(&whole);
        return;
    }
    zc_matmul_packed(a, b, c, m, pack, kc, mc, w, part);
    zc_free(pack);
}

/* One table per variant; a table exists only where its file compiles to
 * something (the x86 ones only when ZC_HAVE_X86, neon only when
 * ZC_HAVE_NEON, simd128 only when __wasm_simd128__). */
extern const zc_kernels zc_kernels_scalar_table;
extern const zc_kernels zc_kernels_avx2_table;
extern const zc_kernels zc_kernels_avx512_table;
extern const zc_kernels zc_kernels_simd128_table;
extern const zc_kernels zc_kernels_neon_table;

/* The tails the vector variants leave to scalar code, computed as
 * scalar.c computes every output: one product and one sum at a time, in
 * index order. */

/* out[i] for i in [from, outs): valid-mode FIR outputs of k taps. */
static inline void zc_fir_tail(const double *x, const double *taps, size_t k,
                               double *out, size_t from, size_t outs)
{
    for (size_t i = from; i < outs; i++) {
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += taps[j] * x[i + j];
        out[i] = s;
    }
}

/* Columns [from, cols) of the part p (see zc_matmul_part). */
static inline void zc_matmul_tail(const zc_matmul_part *p, size_t from)
{
    const size_t m = p->m;
    for (size_t j = from; j < p->cols; j++) {
        for (size_t i = 0; i < p->rows; i++) {
            double s = p->add ? p->c[i * m + j] : 0.0;
            for (size_t k = 0; k < p->depth; k++)
                s += p->a[i * m + k] * p->b[k * p->ldb + j];
            p->c[i * m + j] = s;
        }
    }
}

#endif /* ZEROCALL_INTERNAL_H */
