// The hot path of package wasmtime: a call of a kernel export of a module
// of the zerocall module ABI through wasmtime_func_call_unchecked, with its
// argument (the frame's offset) and result in a buffer that lives in C
// memory for the life of the instance, so that a call allocates nothing on
// either side.

#ifndef ZEROCALL_WASMTIME_SHIM_H
#define ZEROCALL_WASMTIME_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#include "capi.h"

// zc_kcall is one kernel export of a module of the zerocall module ABI,
// or a kernel's batch export, as the hot path sees it: the export and
// its number of arguments (1, the frame, or 2, a batch's items and
// count), the instance's memory and its size once the regions were
// reserved, and the epoch deadline of a call (0: none).
typedef struct zc_kcall {
	wasmtime_context_t *cx;
	wasmtime_func_t fn;
	size_t nargs;
	wasmtime_memory_t mem;
	size_t size;
	uint64_t deadline;
	wasmtime_val_raw_t val[2];  // the arguments in, the kernel's return out
	wasm_byte_vec_t msg;        // the last failure's message, owned
	size_t msglen;
	int trap;                   // the last trap's code, or -1 (see zc_kcall_run)
} zc_kcall;

// zc_kcall_new returns a kcall of export fn, taking nargs (1 or 2) i32
// arguments, and memory mem of the store cx, or NULL if out of memory or
// if fn or mem is not of its kind.
zc_kcall *zc_kcall_new(wasmtime_context_t *cx, const wasmtime_extern_t *fn, size_t nargs,
                       const wasmtime_extern_t *mem, uint64_t deadline);

// The outcomes of zc_kcall_run.
enum { ZC_KCALL_OK, ZC_KCALL_FAILED, ZC_KCALL_GREW, ZC_KCALL_INTERRUPTED };

// zc_kcall_run calls the export with the arguments a0 (the frame's or
// the items' offset) and, for a batch, a1 (the count). It returns
// ZC_KCALL_OK with a kernel's return value in k->val[0],
// ZC_KCALL_FAILED on a trap or error (the trap's code in k->trap; for
// an error or a trap with no code, -1 and the message in k->msg, for
// zc_kcall_clear), ZC_KCALL_INTERRUPTED for the trap of a passed epoch
// deadline, or ZC_KCALL_GREW if the memory's size changed.
int zc_kcall_run(zc_kcall *k, uint32_t a0, int32_t a1);

// zc_kcall_clear frees the message of the last failure.
void zc_kcall_clear(zc_kcall *k);

// zc_kcall_free frees k; the store is its owner's to delete.
void zc_kcall_free(zc_kcall *k);

#endif
