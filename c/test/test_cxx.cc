// test_cxx.cc - a kernel built as C++: ZC_VARIANTS defines its variants
// and their table with C linkage, as the symbols of a shared library that
// Go looks up by name must be, and each variant gives the baseline's
// result. The last line printed is "P passed, F failed".
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "zc_kernel.h"

ZC_BODY int64_t twice_body(zc_frame *f)
{
    const float *x = static_cast<const float *>(f->buf[0]);
    float *y = static_cast<float *>(f->buf[1]);
    for (int64_t i = 0; i < f->len[0]; i++)
        y[i] = static_cast<float>(f->f[0]) * x[i] + 1.0f;
    return f->len[0];
}
ZC_VARIANTS(twice, twice_body);

// Declared again as C would: a mangled definition would not link.
extern "C" const zc_variants twice_variants;

int main()
{
    unsigned passed = 0, failed = 0;
    float x[37], want[37] = {}, got[37] = {};
    for (int i = 0; i < 37; i++)
        x[i] = static_cast<float>(i) / 7.0f - 2.0f;
    zc_frame f{};
    f.buf[0] = x;
    f.len[0] = f.len[1] = 37;
    f.f[0] = 0.3;
    f.buf[1] = want;
    twice(&f);
    for (int v = 0; v < ZC_VARIANT_SLOTS; v++) {
        if (twice_variants.fn[v] == nullptr)
            continue;
        std::fill(got, got + 37, 0.0f);
        f.buf[1] = got;
        // A variant this CPU lacks is not run; the table still names it.
#if defined(__x86_64__)
        if ((v == 2 && !__builtin_cpu_supports("avx2")) || (v == 3 && !__builtin_cpu_supports("avx512f")))
            continue;
#endif
        bool ok = twice_variants.fn[v](&f) == 37 && std::memcmp(got, want, sizeof got) == 0;
        ok ? passed++ : failed++;
        if (!ok)
            std::printf("FAIL: slot %d differs from the baseline\n", v);
    }
    if (twice_variants.fn[1] != twice) {
        std::printf("FAIL: slot 1 is not the baseline\n");
        failed++;
    }
    std::printf("%u passed, %u failed\n", passed, failed);
    return failed != 0 || passed == 0;
}
