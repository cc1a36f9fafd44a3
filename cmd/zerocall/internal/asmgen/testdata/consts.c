/*
 * consts.c - functions for the generator's tests: read-only constants
 * reached relative to the instruction (one table aligned past the
 * linker's function alignment), arguments of every class and size
 * the generator maps, two functions of one section, the second at an
 * offset in it, and one with a stack frame of its own.
 */
#include <stddef.h>
#include <stdint.h>

static const double weights[8] __attribute__((aligned(64))) = {
    0.5, 1.5, -2.0, 3.25, 4.0, -0.75, 8.0, 0.125,
};

static const int16_t steps[5] = {3, -1, 4, 1, -5};

/* scale * sum of weights[(i + shift) % 8] * x[i] */
double weigh(const double *x, int32_t n, float scale, uint8_t shift)
{
    double s = 0.0;
    for (int32_t i = 0; i < n; i++)
        s += weights[(i + shift) & 7] * x[i];
    return s * scale;
}

/* p[i] clamped to [lo, 255 - lo], summed, plus steps[k % 5] */
uint16_t clampsum(const uint8_t *p, size_t n, uint8_t lo, int64_t k)
{
    uint16_t s = (uint16_t)steps[k % 5];
    for (size_t i = 0; i < n; i++) {
        uint8_t v = p[i] < lo ? lo : p[i] > 255 - lo ? (uint8_t)(255 - lo) : p[i];
        s = (uint16_t)(s + v);
    }
    return s;
}

/* out[i] = x[i] * a + b, in float32 */
void affine(float *out, const float *x, size_t n, float a, float b)
{
    for (size_t i = 0; i < n; i++)
        out[i] = x[i] * a + b;
}

/* x * 1.1 + 0.3 and x * 0.7 - 0.2, in a section of their own */
__attribute__((section(".text.pair"))) double pair1(double x)
{
    return x * 1.1 + 0.3;
}

__attribute__((section(".text.pair"))) double pair2(double x)
{
    return x * 0.7 - 0.2;
}

/* A mix of seed's successors, through a local array: a stack frame, with
 * callee-saved registers stored at its top. */
int64_t framed(int64_t seed)
{
    int64_t a[40];
    for (int i = 0; i < 40; i++) {
        seed = (int64_t)((uint64_t)seed * 6364136223846793005u + 1442695040888963407u);
        a[i] = seed >> 33;
    }
    int64_t s = 0;
    for (int i = 0; i < 40; i++)
        s ^= a[(i * 7) % 40] + i;
    return s;
}
