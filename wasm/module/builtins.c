/*
 * builtins.c - the kernels of the zerocall wasm32 modules, in the zerocall
 * module ABI (wasm/module/zc_module.h) that any user's module follows:
 * each built-in kernel is an export (frame i32) -> i64 calling the frame
 * adapter of native/frame.c, and zc_module.c provides zc_abi_version and
 * zc_reserve. wasm/embed/exports.txt lists every export; build.sh links from it.
 *
 * wasm/embed/build.sh links this file with native/scalar.c into zerocall.wasm, and
 * with native/simd128.c, under -msimd128, into zerocall_simd.wasm;
 * __wasm_simd128__ picks the table the kernels run. There is no libc.
 *
 * A host reserves the frames and regions once (zc_reserve) and never
 * grows memory after; it checks the sizes it writes into a frame, and a
 * kernel that was handed sizes past its buffers still cannot leave the
 * module's memory: wasm bounds every access.
 */
#include "internal.h"
#include "zc_module.h"

#if defined(__wasm_simd128__)
#define ZCW_TABLE (&zc_kernels_simd128_table)
#else
#define ZCW_TABLE (&zc_kernels_scalar_table)
#endif

/* ZCW_KERNEL defines export name: the frame adapter of name, on this
 * module's table (the frame's ctx, which the host leaves 0). */
#define ZCW_KERNEL(name)             \
    int64_t name(zc_frame *f);       \
    int64_t name(zc_frame *f)        \
    {                                \
        f->ctx = ZCW_TABLE;          \
        return zc_frame_##name(f);   \
    }

ZCW_KERNEL(sum)
ZCW_KERNEL(dot)
ZCW_KERNEL(axpy)
ZCW_KERNEL(fir)
ZCW_KERNEL(matmul)

ZC_MODULE_BATCH(sum);
ZC_MODULE_BATCH(dot);
ZC_MODULE_BATCH(axpy);
ZC_MODULE_BATCH(fir);
ZC_MODULE_BATCH(matmul);

/* noop is an empty kernel: the floor of a call into the module. */
int64_t noop(zc_frame *f);
int64_t noop(zc_frame *f)
{
    (void)f;
    return 0;
}
