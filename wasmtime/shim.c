#include <stdlib.h>

#include "shim.h"

// failed deletes err or trap and returns the outcome:
// ZC_KCALL_INTERRUPTED for a trap of a passed epoch deadline,
// ZC_KCALL_FAILED else. A trap with a code records its code in code and
// no message: its message holds a backtrace of every wasm frame, whose
// size the module chooses (a deep recursion makes megabytes). An error,
// or a trap with no code, records -1 and its message in msg, without a
// trailing NUL.
static int failed(wasmtime_error_t *err, wasm_trap_t *trap, int *code, wasm_byte_vec_t *msg, size_t *msglen) {
	int outcome = ZC_KCALL_FAILED;
	wasmtime_trap_code_t c;
	*code = -1;
	if (err != NULL) {
		wasmtime_error_message(err, msg);
		wasmtime_error_delete(err);
	} else if (wasmtime_trap_code(trap, &c)) {
		*code = c;
		if (c == WASMTIME_TRAP_CODE_INTERRUPT) {
			outcome = ZC_KCALL_INTERRUPTED;
		}
	} else {
		wasm_trap_message(trap, msg);
	}
	if (trap != NULL) {
		wasm_trap_delete(trap);
	}
	// A trap's message ends in a NUL, an error's does not.
	*msglen = msg->size;
	if (*msglen > 0 && msg->data[*msglen - 1] == '\0') {
		(*msglen)--;
	}
	return outcome;
}

// clear frees msg.
static void clear(wasm_byte_vec_t *msg, size_t *msglen) {
	if (msg->data != NULL) {
		wasm_byte_vec_delete(msg);
	}
	msg->size = 0;
	msg->data = NULL;
	*msglen = 0;
}

zc_kcall *zc_kcall_new(wasmtime_context_t *cx, const wasmtime_extern_t *fn, size_t nargs,
                       const wasmtime_extern_t *mem, uint64_t deadline) {
	if (fn->kind != WASMTIME_EXTERN_FUNC || mem->kind != WASMTIME_EXTERN_MEMORY || nargs < 1 || nargs > 2) {
		return NULL;
	}
	zc_kcall *k = calloc(1, sizeof *k);
	if (k != NULL) {
		k->cx = cx;
		k->fn = fn->of.func;
		k->nargs = nargs;
		k->mem = mem->of.memory;
		k->size = wasmtime_memory_data_size(cx, &k->mem);
		k->deadline = deadline;
	}
	return k;
}

int zc_kcall_run(zc_kcall *k, uint32_t a0, int32_t a1) {
	if (k->deadline != 0) {
		wasmtime_context_set_epoch_deadline(k->cx, k->deadline);
	}
	k->val[0].i32 = (int32_t)a0;
	k->val[1].i32 = a1;
	wasm_trap_t *trap = NULL;
	wasmtime_error_t *err = wasmtime_func_call_unchecked(k->cx, &k->fn, k->val, k->nargs, &trap);
	if (err != NULL || trap != NULL) {
		zc_kcall_clear(k);
		return failed(err, trap, &k->trap, &k->msg, &k->msglen);
	}
	if (wasmtime_memory_data_size(k->cx, &k->mem) != k->size) {
		return ZC_KCALL_GREW;
	}
	return ZC_KCALL_OK;
}

void zc_kcall_clear(zc_kcall *k) { clear(&k->msg, &k->msglen); }

void zc_kcall_free(zc_kcall *k) {
	if (k != NULL) {
		zc_kcall_clear(k);
		free(k);
	}
}
