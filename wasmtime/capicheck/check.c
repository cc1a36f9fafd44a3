// check.c holds capi.h to the real wasmtime.h (see capi.h); it is
// compiled by make test-capi, never linked.

#include <wasmtime.h>

#if WASMTIME_VERSION_MAJOR != 39
#error "capi.h declares the wasmtime 39 C API; go.mod requires another version"
#endif

#define ZC_CAPI_CHECK
#include "../capi.h"
