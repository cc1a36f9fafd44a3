/*
 * cond.c - a kernel with a float result that it stores only when its
 * integer scalar is not zero: the host must not hand back a result that
 * an earlier call stored (a handle's frame outlives its calls).
 */
#include "zc_kernel.h"

int64_t zc_test_cond(zc_frame *f);

int64_t zc_test_cond(zc_frame *f)
{
    if (f->i[0] != 0)
        f->result = 42.0;
    return 0;
}
