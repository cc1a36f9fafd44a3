// Package native calls C kernels through cgo, the built-in ones and
// yours.
//
// The built-in kernels run behind a zerocall.Instance, in one of two
// memory patterns:
//
//   - New(zerocall.Pinned, cfg) (pinned_prealloc.go), pattern 1: Go
//     buffers allocated and pinned once, their addresses cached; data is
//     copied in per call, or written in place by the caller.
//   - New(zerocall.COwned, cfg) (cowned.go), pattern 3: C allocates the
//     buffers, Go sees them as slices, Close frees them in C.
//
// Any kernel, yours included, runs as a Func (func.go) in the calling
// convention of zc_kernel.h: from your cgo package (NewFunc), from a
// shared library loaded at run time (Load, dlopen.go), or built in
// (Builtin). A Func is called once on the caller's slices (Func.Call: no
// copy, no pin, no lock), or makes a kernel.Handle (Func.Handle,
// handle.go) or a kernel.Batch, many calls in one crossing (Func.Batch,
// batch.go), over regions of zerocall.Pinned Go memory or zerocall.COwned
// C memory.
//
// What the benchmarks measure these against is not part of the API: the
// built-ins on the caller's slices passed straight to C (straight.go), the
// same with a runtime.Pinner pinned and unpinned around every call
// (direct_pin.go), and an empty C call, the floor of any crossing;
// measure.go hands them to the benchmarks through internal/measure.
//
// The package is cgo: built with CGO_ENABLED=0 it has no files, and the
// go command says so ("build constraints exclude all Go files"), while
// "go test ./..." passes over it. Package asm runs the same C kernels,
// translated into Go assembly, with no cgo at all.
//
// The C sources are compiled into this package by cgo, so a Go program
// needs only a C compiler, not the C library's Makefile. Every build of
// them uses the flags in the file CFLAGS; the #cgo directive below has
// them too, but for -ffp-contract=off, which cgo refuses in a directive
// (internal.h has the same effect), and with -Wno-unused-parameter, for
// the code cgo generates. TestCFlags holds the two together. Every
// built-in kernel comes in several variants (scalar C, AVX2 and AVX-512
// on amd64, NEON on arm64); New and Builtin take the
// zerocall.Variant to run, and zerocall.Auto picks the best this CPU
// supports.
package native

/*
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter
#include "zc_go.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// maxBuffers is the most buffers a kernel has: the length of Args.Len.
const maxBuffers = len(kernel.Args{}.Len)

// noop calls an empty C function. Its cost is the floor of any cgo call,
// against which the kernels' fixed costs are measured.
func noop() { C.zc_noop() }

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

// regionSet is the memory of a handle's regions, one per buffer, owned by
// Go or by C.
type regionSet struct {
	views   [maxBuffers + 1]unsafe.Pointer // and a batch's items
	release backend.Release
}

// regionLayout returns the byte offset of each region, each starting on a
// cache line, and the bytes all of them take; sizes are the regions'
// bytes, each checked by regionset (at most regionset.MaxBytes), so that
// neither the rounding nor the sum can overflow.
func regionLayout(sizes []int) (offs []int, total int, err error) {
	offs = make([]int, len(sizes))
	for i, n := range sizes {
		offs[i] = total
		total += (n + C.ZC_ALIGN - 1) &^ (C.ZC_ALIGN - 1)
	}
	if total > regionset.MaxBytes {
		return nil, 0, fmt.Errorf("%w: the regions take %d bytes, more than %d", zerocall.ErrNoMemory, total, regionset.MaxBytes)
	}
	return offs, total, nil
}

// checkMemory refuses a kind of memory native has not, for kernel k (nil
// for a built-in instance). The constructors check it before the sizes,
// as every host does: the kind is wrong at any size.
func checkMemory(k *kernel.Kernel, mem zerocall.Memory) error {
	if mem != zerocall.Pinned && mem != zerocall.COwned {
		return funcs.Unsupported(k, mem, "native handles have zerocall.Pinned or zerocall.COwned memory")
	}
	return nil
}

// allocRegions allocates regions of the given sizes in bytes, owned as
// mem says.
func allocRegions(mem zerocall.Memory, sizes []int) (*regionSet, error) {
	if err := checkMemory(nil, mem); err != nil {
		return nil, err
	}
	offs, total, err := regionLayout(sizes)
	if err != nil {
		return nil, err
	}
	var rs *regionSet
	if mem == zerocall.Pinned {
		rs, err = pinnedRegions(total)
	} else {
		rs, err = cRegions(total)
	}
	if err != nil {
		return nil, err
	}
	base := rs.views[0]
	for i, off := range offs {
		rs.views[i] = unsafe.Add(base, off)
	}
	return rs, nil
}

// New returns an instance of the built-in kernels over regions in memory
// of kind mem: zerocall.Pinned (pattern 1: one Go allocation, pinned once
// with a runtime.Pinner, whose addresses C keeps until Close unpins it) or
// zerocall.COwned (pattern 3: one cache-line-aligned C allocation, seen
// from Go through slice views and freed by C on Close, after which views
// of the Regions must not be touched). A call copies its inputs into the
// regions, or the caller writes them in place through Regions. cfg sizes
// the regions and picks the variant.
//
// zerocall.Module memory is the wasm hosts' and fails with
// zerocall.ErrUnsupported; a capacity the machine cannot provide fails with
// zerocall.ErrNoMemory before anything is allocated. If the instance is
// dropped without Close, a backstop unpins Go memory, which views of the
// Regions keep alive as any Go memory, and leaves C memory allocated,
// since views may still point into it; zerocall.Leaked counts either.
//
// The regions are allocated as a handle's are (pinnedRegions in
// pinned_prealloc.go, cRegions in cowned.go), each on a cache line.
func New(mem zerocall.Memory, cfg zerocall.Config) (*zerocall.Instance, error) {
	k, capacity, taps, err := layout(cfg)
	if err != nil {
		return nil, err
	}
	vec := capacity * 8
	rs, err := allocRegions(mem, []int{vec, vec, vec, taps * 8})
	if err != nil {
		return nil, err
	}
	at := func(i, n int) []float64 { return unsafe.Slice((*float64)(rs.views[i]), n) }
	r := zerocall.Regions{X: at(0, capacity), Y: at(1, capacity), Out: at(2, capacity), Taps: at(3, taps)}
	hosts, unpin := builtinHosts(k, r)
	rel := backend.Release{Close: func() error { unpin(); return rs.release.Close() }, Unreachable: unpin}
	if u := rs.release.Unreachable; u != nil {
		rel.Unreachable = func() { unpin(); u() }
	}
	return backend.NewInstance(hosts, r, rel)
}
