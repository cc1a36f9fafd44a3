/*
 * alloc.c - C-owned buffers (native builds only).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

double *zc_alloc(size_t n)
{
    /* aligned_alloc wants a multiple of the alignment: round the byte
     * count up, after checking that neither step overflows. */
    if (n == 0 || n > (SIZE_MAX - (ZC_ALIGN - 1)) / sizeof(double))
        return NULL;
    size_t bytes = (n * sizeof(double) + (ZC_ALIGN - 1)) &
                   ~(size_t)(ZC_ALIGN - 1);
    double *p = aligned_alloc(ZC_ALIGN, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void zc_free(double *p)
{
    free(p);
}
