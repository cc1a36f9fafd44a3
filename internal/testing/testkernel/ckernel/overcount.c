/*
 * overcount.c - a kernel that breaks its contract, for the tests of what
 * a host says of it: under the test kernel's description (x, y, out), it
 * writes nothing and reports one output more than out has.
 */
#include "zc_kernel.h"

int64_t zc_test_overcount(zc_frame *f)
{
    return f->len[2] + 1;
}
