// Package native calls the zerocall C kernels through cgo, in every way
// the project measures:
//
//   - Straight (straight.go): the caller's slices are handed to C for the
//     duration of one call. No copy and no pin; cgo checks each pointer.
//   - Direct (direct_pin.go): the same, with a runtime.Pinner pinned and
//     unpinned around every call: the cost of pinning per call.
//   - NewPinned (pinned_prealloc.go), pattern 1: Go buffers allocated and
//     pinned once, their addresses cached; data is copied in per call, or
//     written in place by the caller.
//   - NewCOwned (cowned.go), pattern 3: C allocates the buffers, Go sees
//     them as slices, Close frees them in C.
//
// The C sources are compiled into this package by cgo, so a Go program
// needs only a C compiler, not the C library's Makefile. Every build of
// them uses the flags in the file CFLAGS; the #cgo directive below has
// them too, but for -ffp-contract=off, which cgo refuses in a directive
// (internal.h has the same effect), and with -Wno-unused-parameter, for
// the code cgo generates. TestCFlags holds the two together. Every kernel comes
// in several variants (scalar C, AVX2, AVX-512); each constructor takes the
// Variant to run, and Auto picks the best this CPU supports.
package native

/*
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter
#include "zc_go.h"
*/
import "C"

import "github.com/zerocall/zerocall/internal/errs"

// Noop calls an empty C function. Its cost is the floor of any cgo call,
// against which the kernels' fixed costs are measured.
func Noop() { C.zc_noop() }

// The status codes of zerocall.h are those internal/errs maps to the
// package's errors, for every host: each pair below fails to compile
// unless the two agree, since an array length cannot be negative.
var (
	_ [C.ZC_OK - errs.StatusOK]struct{}
	_ [errs.StatusOK - C.ZC_OK]struct{}
	_ [C.ZC_ERR_ARG - errs.StatusArg]struct{}
	_ [errs.StatusArg - C.ZC_ERR_ARG]struct{}
	_ [C.ZC_ERR_UNSUPPORTED - errs.StatusUnsupported]struct{}
	_ [errs.StatusUnsupported - C.ZC_ERR_UNSUPPORTED]struct{}
	_ [C.ZC_ERR_NOMEM - errs.StatusNoMemory]struct{}
	_ [errs.StatusNoMemory - C.ZC_ERR_NOMEM]struct{}
	_ [C.ZC_ERR_CAPACITY - errs.StatusCapacity]struct{}
	_ [errs.StatusCapacity - C.ZC_ERR_CAPACITY]struct{}
)
