/*
 * alloc.c - C-owned buffers (native builds only).
 */
#include <stdint.h>
#include <stdlib.h>
#ifdef _WIN32
#include <malloc.h>
#endif
#include <string.h>

#include "internal.h"

double *zc_alloc_uninit(size_t n)
{
    /* aligned_alloc wants a multiple of the alignment: round the byte
     * count up, after checking that neither step overflows. */
    if (n == 0 || n > (SIZE_MAX - (ZC_ALIGN - 1)) / sizeof(double))
        return NULL;
    size_t bytes = (n * sizeof(double) + (ZC_ALIGN - 1)) &
                   ~(size_t)(ZC_ALIGN - 1);
#ifdef _WIN32
    /* Windows' C library has no aligned_alloc: its own pair frees what
     * it allocates. */
    double *p = _aligned_malloc(bytes, ZC_ALIGN);
#else
    double *p = aligned_alloc(ZC_ALIGN, bytes);
#endif
    return p;
}

double *zc_alloc(size_t n)
{
    double *p = zc_alloc_uninit(n);
    if (p)
        memset(p, 0, n * sizeof(double));
    return p;
}

void zc_free(double *p)
{
#ifdef _WIN32
    _aligned_free(p);
#else
    free(p);
#endif
}
