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

/* zc_test_status returns its integer scalar: -1 is ZC_ERR_ARG, a status
 * the ABI defines, -7 none it does. Any description with one integer
 * scalar fits it. */
int64_t zc_test_status(zc_frame *f)
{
    return f->i[0];
}

/* zc_test_overlen, under the test kernel's description, raises the
 * length of out in its frame by a thousand and reports that many
 * outputs: a kernel that writes its frame's inputs, which it must not,
 * to pass the host's check of its count. */
int64_t zc_test_overlen(zc_frame *f)
{
    f->len[2] += 1000;
    return f->len[2];
}
