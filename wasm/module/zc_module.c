/*
 * zc_module.c - the exports of the zerocall module ABI that are not
 * kernels (zc_module.h): link it into a module beside your kernels.
 *
 * zc_reserve is a bump allocator over the memory past __heap_base, the
 * first byte after the stack and the static data: reservations are never
 * freed, and memory grows as they need. The host reserves once per
 * instance, before any call, so memory never grows after. Memory the
 * module grew itself (an allocator of its own, in a start function) is
 * its own: a reservation starts past the end of memory when memory has
 * grown since the last one, or at the first, past the pages the linker
 * gives (the fewest that hold __heap_base, wasm-ld's default).
 */
#include "zc_module.h"

#define ZCM_PAGE 65536u

/* Defined by wasm-ld. */
extern unsigned char __heap_base;

static uint64_t zcm_next; /* the first free byte; 0 before the first call */
static uint64_t zcm_end;  /* the end of memory as the last call left it */

ZC_MODULE_EXPORT("zc_abi_version") int32_t zc_abi_version(void)
{
    return ZC_MODULE_ABI;
}

ZC_MODULE_EXPORT("zc_reserve") uint32_t zc_reserve(uint32_t size, uint32_t align)
{
    if (size == 0 || align == 0 || (align & (align - 1)) != 0 || align > ZCM_PAGE)
        return 0;
    uint64_t base = zcm_next;
    if (base == 0) {
        base = (uint64_t)(uintptr_t)&__heap_base;
        zcm_end = (base + ZCM_PAGE - 1) & ~(uint64_t)(ZCM_PAGE - 1);
    }
    uint64_t have = __builtin_wasm_memory_size(0);
    if (have * ZCM_PAGE > zcm_end)
        base = have * ZCM_PAGE; /* grown by the module: its own */
    uint64_t at = (base + align - 1) & ~(uint64_t)(align - 1);
    uint64_t end = at + size; /* < 2^33: exact */
    if (end > (uint64_t)UINT32_MAX + 1)
        return 0;
    uint64_t need = (end + ZCM_PAGE - 1) / ZCM_PAGE;
    if (need > have && __builtin_wasm_memory_grow(0, (size_t)(need - have)) == (size_t)-1)
        return 0;
    zcm_next = end;
    zcm_end = (need > have ? need : have) * ZCM_PAGE;
    return (uint32_t)at;
}
