package native

// #include "zc_go.h"
import "C"

import (
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// align is the alignment of every region, in elements: one 64-byte cache
// line, as C's ZC_ALIGN.
const align = C.ZC_ALIGN / 8

// nBuiltins is the number of built-in kernels, zc_builtin in zerocall.h,
// whose numbers are their indexes in backend.Kernels: each pair below
// fails to compile unless the two agree.
const nBuiltins = C.ZC_BUILTIN_COUNT

var (
	_ [nBuiltins - backend.N]struct{}
	_ [backend.N - nBuiltins]struct{}
	_ [C.ZC_BUILTIN_SUM - 0]struct{}
	_ [0 - C.ZC_BUILTIN_SUM]struct{}
	_ [C.ZC_BUILTIN_DOT - 1]struct{}
	_ [1 - C.ZC_BUILTIN_DOT]struct{}
	_ [C.ZC_BUILTIN_AXPY - 2]struct{}
	_ [2 - C.ZC_BUILTIN_AXPY]struct{}
	_ [C.ZC_BUILTIN_FIR - 3]struct{}
	_ [3 - C.ZC_BUILTIN_FIR]struct{}
	_ [C.ZC_BUILTIN_MATMUL - 4]struct{}
	_ [4 - C.ZC_BUILTIN_MATMUL]struct{}
)

// builtinNumber returns the number zerocall.h gives built-in kernel k,
// or -1 if k is not one.
func builtinNumber(k *kernel.Kernel) int {
	for i, b := range backend.Kernels {
		if b == k {
			return i
		}
	}
	return -1
}

// layout returns the kernels of cfg's variant and its checked sizes.
func layout(cfg zerocall.Config) (k C.uintptr_t, capacity, taps int, err error) {
	if k, err = kernels(cfg.Variant); err != nil {
		return 0, 0, 0, err
	}
	// A terabyte, as for any region.
	capacity, taps, err = backend.Sizes(cfg, regionset.MaxBytes/8)
	return k, capacity, taps, err
}

// builtinFrames holds the frames of an instance's five handles in Go
// memory of their own, pinned once.
type builtinFrames struct{ fr [nBuiltins]C.zcg_frame }

// builtinHosts returns the hosts of the built-in kernels of the variant
// whose table is t, each a handle's (see owned) over the regions r that
// its kernel uses, with its frame in pinned Go memory; unpin releases the
// pin. The instance releases the regions: a host's Close does nothing.
// Patterns 1 and 3 differ only in who owns the regions, not in how they
// are called.
func builtinHosts(t C.uintptr_t, r zerocall.Regions) (hosts [nBuiltins]regionset.Host, unpin func()) {
	box := new(builtinFrames)
	pin := new(runtime.Pinner)
	pin.Pin(box)
	views := backend.Views(r)
	for i, k := range backend.Kernels {
		var v [3]unsafe.Pointer
		for j, reg := range backend.Buffers[i] {
			v[j] = views[reg]
		}
		hosts[i] = newHost(newFunc(k, C.zcg_frame_fn(C.int(i)), t), &box.fr[i], v[:len(backend.Buffers[i])])
	}
	return hosts, pin.Unpin
}
