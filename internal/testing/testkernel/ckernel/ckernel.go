// Package ckernel compiles the test kernels (saxpy.c and clamp.c,
// described by package testkernel) into the program through cgo, as a
// user's own cgo package would.
package ckernel

/*
// cgo declares a C function whose address Go takes as f(), which
// clang 15 and later call a deprecated prototype under -Wpedantic.
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter -Wno-strict-prototypes -I${SRCDIR}/../../../../native
#include "zc_kernel.h"
int64_t zc_test_saxpy(zc_frame *f);
extern const zc_variants zc_test_saxpy_variants;
extern const zc_variants zc_test_clamp_variants;
*/
import "C"

import "unsafe"

// The typed calls of the test kernels through cgo (saxpy_bind.go,
// clamp_bind.go), as a user's cgo package would have them.
//go:generate zerocall bind -o saxpy_bind.go -desc .. -c zc_test_saxpy -type SaxpyTyped Saxpy
//go:generate zerocall bind -o clamp_bind.go -desc .. -c zc_test_clamp -type ClampTyped Clamp

// Pointer returns the address of the C function, as a user's cgo package
// would hand it over: unsafe.Pointer(C.zc_test_saxpy).
func Pointer() unsafe.Pointer { return unsafe.Pointer(C.zc_test_saxpy) }

// Variants returns the address of the test kernel's table of variants,
// which ZC_VARIANTS builds: unsafe.Pointer(&C.zc_test_saxpy_variants).
func Variants() unsafe.Pointer { return unsafe.Pointer(&C.zc_test_saxpy_variants) }

// ClampVariants returns the address of the clamp-and-scale kernel's table
// of variants (clamp.c).
func ClampVariants() unsafe.Pointer { return unsafe.Pointer(&C.zc_test_clamp_variants) }
