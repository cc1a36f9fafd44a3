/*
 * test_module_native.c - zc_module.h in a native build: a kernel file
 * written for a module, with ZC_MODULE_EXPORT and ZC_MODULE_BATCH, must
 * compile under the project's flags (warnings as errors) with gcc and
 * clang, so that the same file serves cgo, a shared library and a module.
 * Its batch function is then an ordinary function: this runs it.
 */
#include <stdio.h>
#include <string.h>

#include "zc_module.h"

/* scale: out[i] = a * x[i]; returns len(x). */
int64_t scale(zc_frame *f);

ZC_MODULE_EXPORT("scale")
int64_t scale(zc_frame *f)
{
    const double *x = f->buf[0];
    double *out = f->buf[1];
    if (f->len[1] < f->len[0])
        return -1;
    for (int64_t i = 0; i < f->len[0]; i++)
        out[i] = f->f[0] * x[i];
    return f->len[0];
}

ZC_MODULE_BATCH(scale);

int main(void)
{
    double x[3] = {1, 2, 3}, out[3] = {0};
    int64_t desc[ZC_BATCH_HEADER + 2 * ZC_BATCH_ITEM_WORDS(2, 1, 0)];
    memset(desc, 0, sizeof desc);
    desc[0] = 2; /* buffers */
    desc[1] = 1; /* float scalars */
    int64_t *it = desc + ZC_BATCH_HEADER;
    for (int j = 0; j < 2; j++, it += ZC_BATCH_ITEM_WORDS(2, 1, 0)) {
        union { double d; int64_t w; } a = {j + 2.0};
        it[0] = (int64_t)(uintptr_t)x;
        it[1] = (int64_t)(uintptr_t)out;
        it[2] = 3 - j; /* len(x): 3, then 2 */
        it[3] = 3;
        it[4] = a.w;
    }
    scale_batch(desc, 2);
    it = desc + ZC_BATCH_HEADER;
    int64_t ret0 = it[5], ret1 = it[ZC_BATCH_ITEM_WORDS(2, 1, 0) + 5];
    /* The second item (a = 3, two elements) ran last. */
    if (ret0 != 3 || ret1 != 2 || out[0] != 3 || out[1] != 6 || out[2] != 6) {
        fprintf(stderr, "scale_batch: returns %lld, %lld; out %g %g %g\n",
                (long long)ret0, (long long)ret1, out[0], out[1], out[2]);
        return 1;
    }
    printf("zc_module.h in a native build: ZC_MODULE_BATCH ran 2 items\n");
    return 0;
}
