/*
 * zc_module.h - the zerocall module ABI, version 1: how a WebAssembly
 * module holds kernels that zerocall's wasm hosts (package wasm on
 * wazero, package wasmtime on Wasmtime) call with no allocation per call.
 * It is written for C, but nothing in it is C-specific: a module built in
 * any language that keeps the rules below works.
 *
 * Exports a module must have
 *   memory                      its one linear memory (wasm32, at most
 *                               4 GiB; on wazero 4 GiB less a page), not
 *                               shared.
 *   zc_abi_version() -> i32     returns 1, the version of this ABI.
 *   zc_reserve(size i32, align i32) -> i32
 *                               reserves size bytes aligned to align (a
 *                               power of two, at most 65536) for the host,
 *                               for the life of the instance, and returns
 *                               their offset in memory, or 0 if it
 *                               cannot. All three are unsigned (uint32_t):
 *                               an offset may lie past 2 GiB. It may grow
 *                               memory. The reserved bytes belong to the
 *                               host: the module never uses them but
 *                               through a kernel's frame, so they lie
 *                               clear of its stack, its static data and
 *                               whatever its own allocator hands out (in
 *                               C, above __heap_base, which a Rust
 *                               module's linker defines too; memory the
 *                               module grew itself, zc_module.c's
 *                               skips).
 *   <kernel>(frame i32) -> i64  one per kernel, any name: the kernel of
 *                               zc_kernel.h, unchanged, whose frame lives
 *                               in memory at the given offset.
 *
 * Exports a module may have
 *   <kernel>_batch(desc i32, n i32), no result
 *                               runs <kernel> on the first n items of
 *                               the batch descriptor (below) at offset
 *                               desc, in order: one crossing for many
 *                               calls. ZC_MODULE_BATCH(kernel); defines it
 *                               for a C kernel.
 *   anything else               other functions, globals and tables
 *                               (__heap_base, say, which linkers export),
 *                               which the hosts leave alone. (Names
 *                               starting zc_ are the ABI's: an export
 *                               zc_stop, say, keeps wazero's own checks
 *                               of a time limit, which cost allocations.)
 *
 * What the host does, once per instance
 *   1. It instantiates the module. The module may import nothing (the
 *      host provides no functions), and a start function, if any, must
 *      return.
 *   2. It calls zc_abi_version, then zc_reserve(ZC_MODULE_FRAME_SIZE,
 *      ZC_MODULE_FRAME_ALIGN) for the frame and zc_reserve(capacity *
 *      element size, 64) for each buffer of the kernel, in declared
 *      order. It checks that every reservation lies inside memory, is
 *      aligned as asked and overlaps no other.
 *   3. It writes each region's offset into buf[i] of the frame, records
 *      the memory's size and keeps views of the regions. From then on
 *      memory must not grow: a host that sees it grown stops using the
 *      instance (its views might no longer be the module's memory). So a
 *      kernel may not allocate from anything that grows memory when it
 *      runs short, as the allocator of Rust's std does: what a kernel
 *      needs besides its buffers is static data, its stack, or reserved
 *      before the host's first zc_reserve.
 *
 * What the host does per call
 *   It writes the lengths and scalars into the frame (and the inputs into
 *   the regions, unless the caller wrote them there), calls the kernel
 *   export with the frame's offset, and reads f->result. Exactly the rules
 *   of zc_kernel.h hold: a negative return is a status code, a count must
 *   lie within its buffer's length, and the offset of an empty buffer is
 *   any value, 0 included, which the kernel must not read through. Each
 *   buffer is a region of its own, so the buffers of a call never overlap
 *   in a module. A trap (a panic must end in one, not in a loop), a
 *   count out of range or grown memory break the instance; the host
 *   reports it and other instances are unaffected.
 *
 * The frame in wasm32 memory (little-endian, 176 bytes)
 *   offset   0  buf[8]     u32 each: offsets of the buffers
 *   offset  32  len[8]     i64 each
 *   offset  96  f[4]       f64 each
 *   offset 128  i[4]       i64 each
 *   offset 160  ctx        u32, 0
 *   offset 168  result     f64
 *   This is struct zc_frame of zc_kernel.h compiled for wasm32; the
 *   static assertions below hold the two together.
 *
 * A batch in wasm32 memory
 *   The descriptor of zc_kernel.h (little-endian 64-bit words, buffer
 *   addresses as offsets): a host that batches reserves
 *   zc_reserve(8 * (ZC_BATCH_HEADER + items * ZC_BATCH_ITEM_WORDS(nb, nf,
 *   ni)), 8) after the regions, writes the header once and the items per
 *   batch, calls <kernel>_batch(descriptor, n) once and reads each item's
 *   ret and result.
 *
 * Building a module from C, with no libc (Debian's clang 14 and lld):
 * the zerocall command does it, with this header and zc_module.c carried
 * inside it,
 *
 *   zerocall module -kernels my_kernel -o my.wasm my_kernel.c
 *
 * or, by hand,
 *
 *   clang-14 --target=wasm32 -O3 -mbulk-memory -ffreestanding -nostdlib \
 *     -I<zerocall>/native -I<zerocall>/wasm/module -Wl,--no-entry -Wl,--export=my_kernel \
 *     -o my.wasm my_kernel.c <zerocall>/wasm/module/zc_module.c
 *
 * zc_module.c provides zc_abi_version and zc_reserve (a bump allocator
 * from __heap_base); the kernel is the same C source a native build uses.
 * Add -msimd128 for WebAssembly SIMD. (-mbulk-memory lets clang zero a
 * frame, as ZC_MODULE_BATCH does, with memory.fill rather than a call of
 * memset, which a module without libc does not have.)
 */
#ifndef ZC_MODULE_H
#define ZC_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "zc_kernel.h"

#define ZC_MODULE_ABI 1
#define ZC_MODULE_FRAME_SIZE 176
#define ZC_MODULE_FRAME_ALIGN 16
#define ZC_MODULE_REGION_ALIGN 64

/* The frame's layout, checked where C11's _Static_assert is there to
 * check it (a kernel may be built with -std=c99). */
#if defined(__wasm32__) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(zc_frame) == ZC_MODULE_FRAME_SIZE, "zc_frame size");
_Static_assert(offsetof(zc_frame, len) == 32, "zc_frame.len");
_Static_assert(offsetof(zc_frame, f) == 96, "zc_frame.f");
_Static_assert(offsetof(zc_frame, i) == 128, "zc_frame.i");
_Static_assert(offsetof(zc_frame, ctx) == 160, "zc_frame.ctx");
_Static_assert(offsetof(zc_frame, result) == 168, "zc_frame.result");
#endif

/* ZC_MODULE_EXPORT(name) exports a function under name from a wasm
 * module. Elsewhere it is nothing, so that one C file serves a native
 * build (cgo, a shared library) and a module alike. */
#if defined(__wasm__)
#define ZC_MODULE_EXPORT(name) __attribute__((export_name(name)))
#else
#define ZC_MODULE_EXPORT(name)
#endif

/* ZC_MODULE_BATCH(kernel); defines and exports kernel_batch, the batch
 * export of the C kernel kernel (declared before it). In a native build
 * it defines the same function, unexported: native hosts batch through
 * zc_run_batch themselves, and never call it. It takes a semicolon after
 * it, as ZC_VARIANTS does (its last line declares a type, which adds no
 * code). */
#define ZC_MODULE_BATCH(kernel)                                   \
    void kernel##_batch(int64_t *desc, int32_t n);                \
    ZC_MODULE_EXPORT(#kernel "_batch")                            \
    void kernel##_batch(int64_t *desc, int32_t n)                 \
    {                                                             \
        zc_run_batch(kernel, NULL, desc, n);                      \
    }                                                             \
    typedef int zc_module_batch_of_##kernel

int32_t zc_abi_version(void);
uint32_t zc_reserve(uint32_t size, uint32_t align);

#endif /* ZC_MODULE_H */
