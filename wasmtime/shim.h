// The hot path of package wasmtime: a call of a module export through
// wasmtime_func_call_unchecked, with its arguments and results in a buffer
// that lives in C memory for the life of the instance, so that a call
// allocates nothing on either side.

#ifndef ZEROCALL_WASMTIME_SHIM_H
#define ZEROCALL_WASMTIME_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#include "capi.h"

// The exports a host calls, indexes into zc_host.fn.
enum { ZC_SUM, ZC_DOT, ZC_AXPY, ZC_FIR, ZC_MATMUL, ZC_NOOP, ZC_NFUNCS };

// ZC_NVALS is the length of the argument and result buffer: the most
// parameters or results of any export.
#define ZC_NVALS 2

// zc_host is one module instance as the hot path sees it.
typedef struct zc_host {
	wasmtime_context_t *cx;             // the instance's store
	wasmtime_func_t fn[ZC_NFUNCS];      // the exports, by index
	wasmtime_val_raw_t val[ZC_NVALS];   // arguments in, results out
	wasm_byte_vec_t msg;                // the last failure's message, owned
	size_t msglen;                      // its length without a trailing NUL
} zc_host;

// zc_host_new returns a host of the store cx, or NULL if out of memory.
zc_host *zc_host_new(wasmtime_context_t *cx);

// zc_host_set records the function ext as export i; it fails unless ext
// is a function.
bool zc_host_set(zc_host *h, int i, const wasmtime_extern_t *ext);

// zc_call calls export i with the arguments in h->val and leaves its
// results there. On a trap or error it returns false, with the message in
// h->msg for zc_host_clear to free.
bool zc_call(zc_host *h, int i);

// zc_host_clear frees the message of the last failure.
void zc_host_clear(zc_host *h);

// zc_host_free frees h; the store is its owner's to delete.
void zc_host_free(zc_host *h);

// zc_kcall is one kernel export of a module of the zerocall module ABI
// (a module of your own), as the hot path sees it: the export, the
// instance's memory and its size once the regions were reserved, and
// the epoch deadline of a call (0: none).
typedef struct zc_kcall {
	wasmtime_context_t *cx;
	wasmtime_func_t fn;
	wasmtime_memory_t mem;
	size_t size;
	uint64_t deadline;
	wasmtime_val_raw_t val[1];  // the frame's offset in, the kernel's return out
	wasm_byte_vec_t msg;        // the last failure's message, owned
	size_t msglen;
} zc_kcall;

// zc_kcall_new returns a kcall of export fn and memory mem of the store
// cx, or NULL if out of memory or if fn or mem is not of its kind.
zc_kcall *zc_kcall_new(wasmtime_context_t *cx, const wasmtime_extern_t *fn, const wasmtime_extern_t *mem,
                       uint64_t deadline);

// The outcomes of zc_kcall_run.
enum { ZC_KCALL_OK, ZC_KCALL_FAILED, ZC_KCALL_GREW };

// zc_kcall_run calls the kernel with the frame at offset frame. It
// returns ZC_KCALL_OK with the kernel's return value in k->val[0],
// ZC_KCALL_FAILED on a trap or error (the message in k->msg, for
// zc_kcall_clear), or ZC_KCALL_GREW if the memory's size changed.
int zc_kcall_run(zc_kcall *k, uint32_t frame);

// zc_kcall_clear frees the message of the last failure.
void zc_kcall_clear(zc_kcall *k);

// zc_kcall_free frees k; the store is its owner's to delete.
void zc_kcall_free(zc_kcall *k);

#endif
