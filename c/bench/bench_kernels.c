/*
 * bench_kernels.c - the native limit: every kernel of every supported
 * variant, called straight through its table, timed and printed in Go's
 * benchmark format so that benchstat can set it beside the Go backends.
 *
 * usage: bench_kernels [-short] [-count N] [-run SUBSTR]
 *   -short     aim each measurement at 0.02 s instead of 0.2 s
 *   -count N   print each benchmark N times (default 1)
 *   -run S     only benchmarks whose name contains S (-only is the same)
 *
 * Like Go's testing package, a benchmark runs its loop with a growing
 * iteration count until one run lasts the target time, and reports that
 * run; the shorter runs before it are the warm-up.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zerocall.h"

enum kernel { SUM, DOT, AXPY, FIR, MATMUL, CALL };
static const char *const kernel_names[] = {"Sum", "Dot", "Axpy", "FIR",
                                           "MatMul", "Call"};

enum { MAXN = 1000000, TAPS = 16 };
static const size_t vec_sizes[] = {1, 16, 1000, 100000, MAXN};
static const size_t mat_sizes[] = {8, 32, 128, 256}; /* m*m <= MAXN */

/* Inputs x, y, taps and output out, MAXN each; matmul uses x, y, out. */
static double *x, *y, *taps, *out;

static double target_ns = 0.2e9;
static int count = 1;
static const char *filter = "";

/* What one benchmark runs: kernel of table t on size n. */
typedef struct {
    enum kernel kernel;
    const zc_kernels *t; /* NULL for CALL */
    size_t n;
} job;

/* Results flow here, so no call can be dropped as unused. */
static volatile double sink;

/* zc_noop through a pointer the compiler cannot see through. */
static void (*volatile noop)(void) = zc_noop;

static void run(const job *j, long iters)
{
    const zc_kernels *t = j->t;
    size_t n = j->n;
    double acc = 0.0;
    switch (j->kernel) {
    case SUM:
        for (long i = 0; i < iters; i++)
            acc += t->sum(x, n);
        break;
    case DOT:
        for (long i = 0; i < iters; i++)
            acc += t->dot(x, y, n);
        break;
    case AXPY:
        for (long i = 0; i < iters; i++)
            t->axpy(0.5, x, y, out, n);
        break;
    case FIR:
        for (long i = 0; i < iters; i++)
            acc += (double)t->fir(x, n, taps, TAPS, out);
        break;
    case MATMUL:
        for (long i = 0; i < iters; i++)
            t->matmul(x, y, out, n);
        break;
    case CALL:
        for (long i = 0; i < iters; i++)
            noop();
        break;
    }
    sink = acc + out[0];
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void bench(const char *name, const job *j)
{
    if (strstr(name, filter) == NULL)
        return;
    long iters = 1;
    for (int c = 0; c < count; c++) {
        double ns;
        for (;;) {
            double t0 = now_ns();
            run(j, iters);
            ns = now_ns() - t0;
            if (ns >= target_ns)
                break;
            /* Aim 20% past the target; grow at least 1 and at most 100x. */
            double want = ns > 0 ? 1.2 * target_ns / ns * (double)iters
                                 : 100.0 * (double)iters;
            long next = want < 100.0 * (double)iters ? (long)want : 100 * iters;
            iters = next > iters ? next : iters + 1;
        }
        double per = ns / (double)iters;
        int digits = per >= 1000 ? 0 : per >= 100 ? 1 : per >= 10 ? 2 : 3;
        printf("%s \t%8ld\t%.*f ns/op\n", name, iters, digits, per);
        fflush(stdout);
    }
}

static void print_header(void)
{
    printf("goos: linux\n");
#if defined(__x86_64__)
    printf("goarch: amd64\n");
#elif defined(__aarch64__)
    printf("goarch: arm64\n");
#endif
    printf("pkg: zerocall/c\n");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            printf("cpu:%s", strchr(line, ':') + 1);
            break;
        }
    if (f)
        fclose(f);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_kernels [-short] [-count N] [-run SUBSTR]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-short") == 0)
            target_ns = 0.02e9;
        else if (strcmp(argv[i], "-count") == 0 && i + 1 < argc)
            count = atoi(argv[++i]);
        else if ((strcmp(argv[i], "-run") == 0 || strcmp(argv[i], "-only") == 0) &&
                 i + 1 < argc)
            filter = argv[++i];
        else
            usage();
    }
    if (count < 1)
        usage();

    x = zc_alloc(MAXN);
    y = zc_alloc(MAXN);
    taps = zc_alloc(MAXN);
    out = zc_alloc(MAXN);
    if (!x || !y || !taps || !out) {
        fprintf(stderr, "bench_kernels: out of memory\n");
        return 1;
    }
    unsigned long long r = 88172645463325252u; /* xorshift64: [-1, 1) */
    for (size_t i = 0; i < MAXN; i++) {
        double *bufs[] = {x, y, taps};
        for (int b = 0; b < 3; b++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            bufs[b][i] = (double)(r >> 11) * 0x1p-52 - 1.0;
        }
    }

    print_header();
    char name[128];
    for (int v = ZC_VARIANT_SCALAR; v < ZC_VARIANT_COUNT; v++) {
        const zc_kernels *t = zc_kernels_for(v);
        if (t == NULL)
            continue;
        for (enum kernel k = SUM; k <= MATMUL; k++) {
            const size_t *sizes = k == MATMUL ? mat_sizes : vec_sizes;
            size_t nsizes = k == MATMUL ? sizeof mat_sizes / sizeof *mat_sizes
                                        : sizeof vec_sizes / sizeof *vec_sizes;
            for (size_t s = 0; s < nsizes; s++) {
                if (k == FIR && sizes[s] < TAPS)
                    continue;
                job j = {k, t, sizes[s]};
                snprintf(name, sizeof name, "Benchmark%s/n=%zu/impl=c-%s",
                         kernel_names[k], sizes[s], t->name);
                bench(name, &j);
            }
        }
    }
    job call = {CALL, NULL, 0};
    bench("BenchmarkCall/impl=c-bare", &call);

    zc_free(x);
    zc_free(y);
    zc_free(taps);
    zc_free(out);
    return 0;
}
