/*
 * hostile.c - modules that break the zerocall module ABI on purpose, one
 * way each, for the tests of the wasm hosts: build.sh compiles this file
 * once per HOSTILE_* macro into hostile/<name>.wasm. Each exports the
 * test kernel's name, zc_test_saxpy, and the rest of the ABI, and
 * misbehaves as its name says.
 */
#include "zc_module.h"

#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;

#if defined(HOSTILE_OUTSIDE) || defined(HOSTILE_OVERLAP) || defined(HOSTILE_MISALIGNED)
/* A zc_reserve that lies: past the end of memory, the same bytes every
 * time, or off the alignment asked for. */
EXPORT("zc_abi_version") int32_t zc_abi_version(void) { return ZC_MODULE_ABI; }
EXPORT("zc_reserve") uint32_t zc_reserve(uint32_t size, uint32_t align)
{
    (void)size;
    uint32_t at = ((uint32_t)(uintptr_t)&__heap_base + align - 1) & ~(align - 1);
#if defined(HOSTILE_OUTSIDE)
    static uint32_t n;
    return n++ == 0 ? at : 0xfff00000u;
#elif defined(HOSTILE_OVERLAP)
    if (__builtin_wasm_memory_size(0) < 64)
        __builtin_wasm_memory_grow(0, 64 - __builtin_wasm_memory_size(0));
    return at;
#else
    static uint32_t n;
    return n++ == 0 ? at : at + 65536 + 4;
#endif
}
#elif defined(HOSTILE_VERSION)
EXPORT("zc_abi_version") int32_t zc_abi_version(void) { return 2; }
EXPORT("zc_reserve") uint32_t zc_reserve(uint32_t size, uint32_t align) { return size + align; }
#endif

#if defined(HOSTILE_OWNPAGE)
/* Not hostile: a module that grows memory for itself in its start
 * function (zc_test_own_page, which the tests make one with
 * testkernel.WithStart), as an allocator of its own does, and marks the
 * page. zc_reserve's reservations must lie clear of it. */
static uint32_t own_page_at;

EXPORT("zc_test_own_page") void own_page(void)
{
    size_t old = __builtin_wasm_memory_grow(0, 1);
    if (old == (size_t)-1)
        __builtin_trap();
    own_page_at = (uint32_t)(old * 65536u);
    for (uint32_t i = 0; i < 65536 / 4; i++)
        ((volatile uint32_t *)(uintptr_t)own_page_at)[i] = 0xfeedfaceu;
}
#endif

#if defined(HOSTILE_IMPORTS)
/* A function the host does not provide. */
__attribute__((import_module("env"), import_name("host_log"))) void host_log(int32_t);
#endif

#if defined(HOSTILE_SIGNATURE)
/* The kernel returns i32, not i64. */
EXPORT("zc_test_saxpy") int32_t saxpy(zc_frame *f)
{
    return (int32_t)f->len[0];
}
#else
EXPORT("zc_test_saxpy") int64_t saxpy(zc_frame *f)
{
#if defined(HOSTILE_GROWS)
    __builtin_wasm_memory_grow(0, 1);
#elif defined(HOSTILE_COUNT)
    /* The frame is in the module's memory: raise the counted length too,
     * so that a host checking the count against the frame passes it. */
    f->len[2] += 1000;
    return f->len[2];
#elif defined(HOSTILE_TRAPS)
    __builtin_trap();
#elif defined(HOSTILE_LOOPS)
    volatile int64_t spin = 0;
    for (;;)
        spin++;
#elif defined(HOSTILE_IMPORTS)
    host_log((int32_t)f->len[0]);
#elif defined(HOSTILE_OWNPAGE)
    /* Writes every element of its buffers, then traps if its own page
     * changed: if a region the host reserved lay on it. */
    for (int b = 0; b < 3; b++)
        for (int64_t i = 0; i < f->len[b]; i++)
            ((float *)f->buf[b])[i] = 1.0f;
    for (uint32_t i = 0; own_page_at != 0 && i < 65536 / 4; i++)
        if (((volatile uint32_t *)(uintptr_t)own_page_at)[i] != 0xfeedfaceu)
            __builtin_trap();
#endif
    return f->len[0];
}

/* Its batch export, which misbehaves as the kernel does in some item. */
EXPORT("zc_test_saxpy_batch") void saxpy_batch(int64_t *desc, int32_t n)
{
    zc_run_batch(saxpy, NULL, desc, n);
}
#endif

/* A function for a start section: the tests make it the start function of
 * a copy of a module (testkernel.WithStart), which then traps when it is
 * instantiated. */
EXPORT("zc_test_boom") void boom(void) { __builtin_trap(); }
