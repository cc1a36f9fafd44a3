/*
 * conv3x3.c - a 3x3 convolution of a float32 image, valid mode, written
 * against zerocall's calling convention (zc_kernel.h):
 *
 *   out[y][x] = sum over i, j < 3 of k[i][j] * img[y+i][x+j]
 *
 * Buffers: img (float32, in, w*h row-major), k (float32, in, 9),
 * out (float32, out, (w-2)*(h-2)). Scalars: i[0] = w; h = len(img)/w.
 * Returns the outputs written. Each output adds its nine products in the
 * order of i, then j, one rounding per operation, as the Go version does.
 *
 * ZC_VARIANTS compiles the one body for every instruction set (on x86-64
 * the baseline, AVX2 and AVX-512), and Go runs the best the CPU has.
 */
#include "zc_kernel.h"

ZC_BODY int64_t conv3x3_body(zc_frame *f)
{
    const float *img = f->buf[0];
    const float *k = f->buf[1];
    float *out = f->buf[2];
    int64_t w = f->i[0];
    if (w < 2 || f->len[1] != 9 || f->len[0] % w != 0)
        return -1; /* ZC_ERR_ARG */
    int64_t h = f->len[0] / w;
    if (h < 2)
        return -1;
    int64_t ow = w - 2, oh = h - 2;
    if (f->len[2] < ow * oh)
        return -1;
    for (int64_t y = 0; y < oh; y++) {
        for (int64_t x = 0; x < ow; x++) {
            float s = 0.0f;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    s += k[i * 3 + j] * img[(y + i) * w + x + j];
            out[y * ow + x] = s;
        }
    }
    return ow * oh;
}

/* conv3x3, its variants and their table, conv3x3_variants. */
ZC_VARIANTS(conv3x3, conv3x3_body);
