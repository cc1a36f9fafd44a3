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
// needs only a C compiler, not the C library's Makefile. Every kernel comes
// in several variants (scalar C, AVX2, AVX-512); each constructor takes the
// Variant to run, and Auto picks the best this CPU supports.
package native

/*
#cgo CFLAGS: -std=c11 -O3
#include "zc_go.h"
*/
import "C"

// Noop calls an empty C function. Its cost is the floor of any cgo call,
// against which the kernels' fixed costs are measured.
func Noop() { C.zc_noop() }
