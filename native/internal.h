/*
 * internal.h - what the zerocall sources share and hosts do not see.
 *
 * Each source file compiles on its own, and may also be #included together
 * with the others into one translation unit, so file-scope names carry
 * their file's prefix (scalar_, avx2_, avx512_, simd128_, zc_) and no
 * macro is defined twice.
 */
#ifndef ZEROCALL_INTERNAL_H
#define ZEROCALL_INTERNAL_H

#include "zerocall.h"

/* ZC_HAVE_X86 is 1 where the AVX2 and AVX-512 variants are compiled in. */
#if defined(__x86_64__)
#define ZC_HAVE_X86 1
#else
#define ZC_HAVE_X86 0
#endif

/* One table per variant; a table exists only where its file compiles to
 * something (the x86 ones only when ZC_HAVE_X86, simd128 only when
 * __wasm_simd128__). */
extern const zc_kernels zc_kernels_scalar_table;
extern const zc_kernels zc_kernels_avx2_table;
extern const zc_kernels zc_kernels_avx512_table;
extern const zc_kernels zc_kernels_simd128_table;

#endif /* ZEROCALL_INTERNAL_H */
