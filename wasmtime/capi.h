// The part of the Wasmtime 39 C API that the shim calls, declared here so
// that this package builds with no include path set: wasmtime.h ships in
// wasmtime-go's module directory, which a #cgo directive cannot name, and
// the library itself is linked by wasmtime-go's own package.
//
// The declarations follow wasmtime.h of the version go.mod requires.
// capicheck/check.c holds them to it: it includes the real header, then this
// one with ZC_CAPI_CHECK defined, so that every prototype below must
// match the real one and every layout assertion must hold for the real
// types (make test-capi, part of make test).

#ifndef ZEROCALL_WASMTIME_CAPI_H
#define ZEROCALL_WASMTIME_CAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ZC_CAPI_CHECK

typedef struct wasmtime_context wasmtime_context_t;
typedef struct wasmtime_error wasmtime_error_t;
typedef struct wasm_trap_t wasm_trap_t;

// wasm_byte_vec_t is wasm.h's vector of bytes (and wasm_message_t).
typedef struct wasm_byte_vec_t {
	size_t size;
	char *data;
} wasm_byte_vec_t;

// wasmtime_func_t is a function of a store, by value.
typedef struct wasmtime_func {
	uint64_t store_id;
	void *__private;
} wasmtime_func_t;

// wasmtime_val_raw_t is one argument or result of an unchecked call.
typedef union wasmtime_val_raw {
	int32_t i32;
	int64_t i64;
	float f32;
	double f64;
	uint8_t v128[16];
	uint32_t anyref;
	uint32_t externref;
	void *funcref;
} wasmtime_val_raw_t;

// wasmtime_memory_t is a memory of a store, by value.
typedef struct wasmtime_memory {
	struct {
		uint64_t store_id;
		uint32_t __private1;
	};
	uint32_t __private2;
} wasmtime_memory_t;

#define WASMTIME_EXTERN_FUNC 0
#define WASMTIME_EXTERN_MEMORY 3

// wasmtime_trap_code_t is the code of a trap an instruction raised;
// WASMTIME_TRAP_CODE_INTERRUPT, that of an epoch deadline passed.
typedef uint8_t wasmtime_trap_code_t;
#define WASMTIME_TRAP_CODE_INTERRUPT 10

// wasmtime_extern_t is an export: its kind, then the item. Only the
// function and memory members are named here; the others make the
// union's size.
typedef struct wasmtime_extern {
	uint8_t kind;
	union {
		wasmtime_func_t func;
		wasmtime_memory_t memory;
		uint64_t other[3];
	} of;
} wasmtime_extern_t;

#endif // ZC_CAPI_CHECK

// The layout the shim relies on, on every 64-bit target wasmtime-go
// ships a library for.
_Static_assert(sizeof(wasmtime_func_t) == 16, "wasmtime_func_t");
_Static_assert(sizeof(wasmtime_val_raw_t) == 16, "wasmtime_val_raw_t");
_Static_assert(_Alignof(wasmtime_val_raw_t) == 8, "wasmtime_val_raw_t");
_Static_assert(sizeof(wasmtime_extern_t) == 32, "wasmtime_extern_t");
_Static_assert(offsetof(wasmtime_extern_t, kind) == 0, "wasmtime_extern_t.kind");
_Static_assert(offsetof(wasmtime_extern_t, of) == 8, "wasmtime_extern_t.of");
_Static_assert(offsetof(wasmtime_extern_t, of.func) == 8, "wasmtime_extern_t.of.func");
_Static_assert(sizeof(wasm_byte_vec_t) == 16, "wasm_byte_vec_t");
_Static_assert(offsetof(wasm_byte_vec_t, data) == 8, "wasm_byte_vec_t.data");
_Static_assert(offsetof(wasmtime_extern_t, of.memory) == 8, "wasmtime_extern_t.of.memory");
_Static_assert(sizeof(wasmtime_memory_t) == 24, "wasmtime_memory_t");
_Static_assert(WASMTIME_EXTERN_FUNC == 0, "WASMTIME_EXTERN_FUNC");
_Static_assert(WASMTIME_EXTERN_MEMORY == 3, "WASMTIME_EXTERN_MEMORY");
_Static_assert(WASMTIME_TRAP_CODE_INTERRUPT == 10, "WASMTIME_TRAP_CODE_INTERRUPT");
_Static_assert(sizeof(wasmtime_trap_code_t) == 1, "wasmtime_trap_code_t");

wasmtime_error_t *wasmtime_func_call_unchecked(wasmtime_context_t *store, const wasmtime_func_t *func,
                                               wasmtime_val_raw_t *args_and_results,
                                               size_t args_and_results_len, wasm_trap_t **trap);
void wasmtime_error_message(const wasmtime_error_t *error, wasm_byte_vec_t *message);
void wasmtime_error_delete(wasmtime_error_t *error);
void wasm_trap_message(const wasm_trap_t *trap, wasm_byte_vec_t *out);
bool wasmtime_trap_code(const wasm_trap_t *, wasmtime_trap_code_t *code);
void wasm_trap_delete(wasm_trap_t *trap);
void wasm_byte_vec_delete(wasm_byte_vec_t *vec);
size_t wasmtime_memory_data_size(const wasmtime_context_t *store, const wasmtime_memory_t *memory);
void wasmtime_context_set_epoch_deadline(wasmtime_context_t *context, uint64_t ticks_beyond_current);

#endif
