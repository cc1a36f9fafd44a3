#include <stdlib.h>

#include "shim.h"

zc_host *zc_host_new(wasmtime_context_t *cx) {
	zc_host *h = calloc(1, sizeof *h);
	if (h != NULL) {
		h->cx = cx;
	}
	return h;
}

bool zc_host_set(zc_host *h, int i, const wasmtime_extern_t *ext) {
	if (i < 0 || i >= ZC_NFUNCS || ext->kind != WASMTIME_EXTERN_FUNC) {
		return false;
	}
	h->fn[i] = ext->of.func;
	return true;
}

bool zc_call(zc_host *h, int i) {
	wasm_trap_t *trap = NULL;
	wasmtime_error_t *err = wasmtime_func_call_unchecked(h->cx, &h->fn[i], h->val, ZC_NVALS, &trap);
	if (err == NULL && trap == NULL) {
		return true;
	}
	zc_host_clear(h);
	if (err != NULL) {
		wasmtime_error_message(err, &h->msg);
		wasmtime_error_delete(err);
	} else {
		wasm_trap_message(trap, &h->msg);
	}
	if (trap != NULL) {
		wasm_trap_delete(trap);
	}
	// A trap's message ends in a NUL, an error's does not.
	h->msglen = h->msg.size;
	if (h->msglen > 0 && h->msg.data[h->msglen - 1] == '\0') {
		h->msglen--;
	}
	return false;
}

void zc_host_clear(zc_host *h) {
	if (h->msg.data != NULL) {
		wasm_byte_vec_delete(&h->msg);
	}
	h->msg.size = 0;
	h->msg.data = NULL;
	h->msglen = 0;
}

void zc_host_free(zc_host *h) {
	if (h != NULL) {
		zc_host_clear(h);
		free(h);
	}
}
