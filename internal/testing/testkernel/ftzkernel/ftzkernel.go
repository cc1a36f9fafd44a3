// Package ftzkernel compiles a kernel that breaks a rule of zc_kernel.h
// (ftz.c: the test kernel of package ckernel, which also sets flush to
// zero and leaves it set) into the program through cgo, for the tests
// that check that the test kit notices.
package ftzkernel

/*
// cgo declares a C function whose address Go takes as f(), which
// clang 15 and later call a deprecated prototype under -Wpedantic.
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter -Wno-strict-prototypes -I${SRCDIR}/../../../../native
#include "zc_kernel.h"
int64_t zc_test_saxpy_ftz(zc_frame *f);
*/
import "C"

import "unsafe"

// Pointer returns the address of the C function.
func Pointer() unsafe.Pointer { return unsafe.Pointer(C.zc_test_saxpy_ftz) }
