/*
 * dispatch.c - choosing a variant at run time (native builds only).
 *
 * A variant is supported when it was compiled in and both the CPU and the
 * OS can run it: the CPU reports the instructions in CPUID, and the OS,
 * through XCR0, saves the registers they use across context switches.
 * Support is detected once. The dispatched zc_* kernels call through the
 * active table, which is NULL until the first decision and then always one
 * of the static tables. Both are atomics, so any thread may decide first:
 * racing threads compute the same answer, and the active table is only
 * replaced from NULL (by the first decision) or by zc_variant_force.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if ZC_HAVE_X86
#include <cpuid.h>
#endif
#ifdef _WIN32
#include <windows.h>
#endif

static const zc_kernels *const zc_tables[ZC_VARIANT_COUNT] = {
    [ZC_VARIANT_SCALAR] = &zc_kernels_scalar_table,
#if ZC_HAVE_X86
    [ZC_VARIANT_AVX2] = &zc_kernels_avx2_table,
    [ZC_VARIANT_AVX512] = &zc_kernels_avx512_table,
#endif
#if ZC_HAVE_NEON
    [ZC_VARIANT_NEON] = &zc_kernels_neon_table,
#endif
};

static const char *const zc_names[] = {
    [ZC_VARIANT_AUTO] = "auto",
    [ZC_VARIANT_SCALAR] = "scalar",
    [ZC_VARIANT_AVX2] = "avx2",
    [ZC_VARIANT_AVX512] = "avx512",
    [ZC_VARIANT_SIMD128] = "simd128",
    [ZC_VARIANT_NEON] = "neon",
};
_Static_assert(sizeof zc_names / sizeof zc_names[0] == ZC_VARIANT_COUNT,
               "every variant of zc_variant needs its name in zc_names");

/* Bit v is set when variant v is supported; 0 means not yet detected, as
 * the scalar bit is always set once detection has run. */
static _Atomic unsigned zc_supported_bits;

static _Atomic(const zc_kernels *) zc_active;

#if ZC_HAVE_X86
/* XCR0, the register state the OS saves; valid only when CPUID.1:ECX
 * reports OSXSAVE. */
static unsigned long long zc_xgetbv0(void)
{
    unsigned lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

static unsigned zc_detect(void)
{
    unsigned bits = 1u << ZC_VARIANT_SCALAR;
#if ZC_HAVE_NEON
    /* Advanced SIMD is part of every AArch64 CPU and its registers are
     * always saved: nothing to test. */
    bits |= 1u << ZC_VARIANT_NEON;
#endif
#if ZC_HAVE_X86
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(1, 0, &eax, &ebx, &ecx, &edx))
        return bits;
    const unsigned need1 = bit_OSXSAVE | bit_AVX | bit_FMA;
    if ((ecx & need1) != need1)
        return bits;
    unsigned long long xcr0 = zc_xgetbv0();
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return bits;
    /* XCR0 bits 1, 2: SSE and AVX (YMM) state. */
    if ((xcr0 & 0x06) != 0x06 || !(ebx & bit_AVX2))
        return bits;
    bits |= 1u << ZC_VARIANT_AVX2;
    /* XCR0 bits 5, 6, 7: opmask, upper ZMM0-15 and ZMM16-31 state. */
    if ((xcr0 & 0xe0) == 0xe0 && (ebx & bit_AVX512F))
        bits |= 1u << ZC_VARIANT_AVX512;
#endif
    return bits;
}

static unsigned zc_supported(void)
{
    unsigned bits = atomic_load_explicit(&zc_supported_bits,
                                         memory_order_relaxed);
    if (bits == 0) {
        bits = zc_detect();
        atomic_store_explicit(&zc_supported_bits, bits, memory_order_relaxed);
    }
    return bits;
}

const zc_kernels *zc_kernels_for(int v)
{
    if (v == ZC_VARIANT_AUTO)
        return zc_kernels_best();
    if (v < 0 || v >= ZC_VARIANT_COUNT || !(zc_supported() & (1u << v)))
        return NULL;
    return zc_tables[v];
}

/* zc_available tells whether variant v runs here and is in table t (the
 * built-ins' tables when t is NULL). */
static int zc_available(const zc_variants *t, int v)
{
    if (v <= ZC_VARIANT_AUTO || v >= ZC_VARIANT_COUNT ||
        !(zc_supported() & (1u << v)))
        return 0;
    return t ? t->fn[v] != NULL : zc_tables[v] != NULL;
}

/* zc_choose returns the best variant available in t, of those at most
 * cap if cap names a variant this machine runs (a cap of another family,
 * avx2 on arm64, is no cap): a variant runs here only if those below it
 * in its family do, so the highest number is the best. A table of yours
 * may leave slots empty; the cap still bounds the choice. -1 when no
 * variant is available. */
static int zc_choose(const zc_variants *t, int cap)
{
    if (cap <= ZC_VARIANT_AUTO || cap >= ZC_VARIANT_COUNT ||
        !(zc_supported() & (1u << cap)))
        cap = 0;
    int best = -1;
    for (int v = ZC_VARIANT_SCALAR; v < ZC_VARIANT_COUNT; v++)
        if ((cap == 0 || v <= cap) && zc_available(t, v))
            best = v;
    return best;
}

/* zc_env_cap is the variant ZEROCALL_VARIANT names, or 0. On Windows
 * it reads the process's environment, which SetEnvironmentVariable (and
 * so Go's os.Setenv) changes, and not the copy the C library's getenv
 * made at start-up, so that the built-ins obey a variable a program sets
 * as the Go side's choices do. */
static int zc_env_cap(void)
{
#ifdef _WIN32
    char buf[16];
    const DWORD got = GetEnvironmentVariableA("ZEROCALL_VARIANT", buf, sizeof buf);
    const char *env = got > 0 && got < sizeof buf ? buf : NULL;
#else
    const char *env = getenv("ZEROCALL_VARIANT");
#endif
    for (int v = ZC_VARIANT_SCALAR; env && v < ZC_VARIANT_COUNT; v++)
        if (strcmp(env, zc_names[v]) == 0)
            return v;
    return 0;
}

static const zc_kernels *zc_decide(void)
{
    int v = zc_choose(NULL, zc_env_cap());
    return v < 0 ? NULL : zc_tables[v];
}

const zc_kernels *zc_kernels_best(void)
{
    const zc_kernels *t = atomic_load_explicit(&zc_active,
                                               memory_order_acquire);
    if (t)
        return t;
    const zc_kernels *expected = NULL;
    t = zc_decide();
    /* Lose to a concurrent decision or zc_variant_force: keep theirs. */
    if (!atomic_compare_exchange_strong_explicit(&zc_active, &expected, t,
                                                 memory_order_acq_rel,
                                                 memory_order_acquire))
        t = expected;
    return t;
}

zc_status zc_variant_force(int v)
{
    /* Auto is the dispatcher's own choice again, not the one in force. */
    const zc_kernels *t = v == ZC_VARIANT_AUTO ? zc_decide() : zc_kernels_for(v);
    if (!t)
        return ZC_ERR_UNSUPPORTED;
    atomic_store_explicit(&zc_active, t, memory_order_release);
    return ZC_OK;
}

int zc_variant_pick(const zc_variants *t, int v, int cap)
{
    if (!t)
        return -1;
    if (v == ZC_VARIANT_AUTO)
        return zc_choose(t, cap);
    return zc_available(t, v) ? v : -1;
}

/* ZC_VARIANTS in zc_kernel.h fills a table's slots by these numbers. */
_Static_assert(ZC_VARIANT_SCALAR == 1 && ZC_VARIANT_AVX2 == 2 &&
                   ZC_VARIANT_AVX512 == 3 && ZC_VARIANT_SIMD128 == 4 &&
                   ZC_VARIANT_NEON == 5 && ZC_VARIANT_COUNT <= ZC_VARIANT_SLOTS,
               "zc_variants' slots are zc_variant's values");

const char *zc_variant_name(int v)
{
    if (v < 0 || v >= ZC_VARIANT_COUNT)
        return "unknown";
    return zc_names[v];
}

double zc_sum(const double *x, size_t n)
{
    return zc_kernels_best()->sum(x, n);
}

double zc_dot(const double *x, const double *y, size_t n)
{
    return zc_kernels_best()->dot(x, y, n);
}

void zc_axpy(double a, const double *x, const double *y, double *out,
             size_t n)
{
    zc_kernels_best()->axpy(a, x, y, out, n);
}

size_t zc_fir(const double *x, size_t n, const double *taps, size_t k,
              double *out)
{
    return zc_kernels_best()->fir(x, n, taps, k, out);
}

void zc_matmul(const double *a, const double *b, double *c, size_t m)
{
    zc_kernels_best()->matmul(a, b, c, m);
}

/* The empty asm keeps the call from being optimised away. */
__attribute__((noinline)) void zc_noop(void)
{
    __asm__ __volatile__("");
}
