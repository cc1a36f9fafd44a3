/* A kernel in a DLL that depends on another (dep.c's, in the same
 * folder), for native's TestLoadDependency: Load must have the DLL's own
 * folder searched for it, whatever way the path is written. */
#include "zc_kernel.h"

double zc_test_dep_value(void);

int64_t zc_test_dep_fill(zc_frame *f);

/* out[i] = the other library's value, for every i. */
int64_t zc_test_dep_fill(zc_frame *f)
{
    double *out = f->buf[0];
    for (int64_t i = 0; i < f->len[0]; i++)
        out[i] = zc_test_dep_value();
    return f->len[0];
}
