package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/sysmem"
)

// newCOwned returns an instance over C-owned memory (pattern 3): C
// allocates one cache-line-aligned block with zc_alloc, Go sees it through
// slice views, and Close frees it with zc_free. The Regions are views of C
// memory: after Close they point at freed memory and must not be touched.
//
// A capacity the machine cannot provide fails with zerocall.ErrNoMemory.
//
// If the instance is dropped without Close, its memory is not freed:
// views of the Regions may still be held, and the garbage collector cannot
// see them point into C memory. The backstop only counts the leak, in
// zerocall.Leaked. Close, and only Close, frees C memory.
func newCOwned(cfg zerocall.Config) (*zerocall.Instance, error) {
	k, capacity, taps, total, err := layout(cfg)
	if err != nil {
		return nil, err
	}
	if err := sysmem.Check(uint64(total) * 8); err != nil {
		return nil, err
	}
	p := C.zc_alloc(C.size_t(total))
	if p == nil {
		return nil, fmt.Errorf("%w: C could not allocate %d bytes", zerocall.ErrNoMemory, total*8)
	}
	r := regions(unsafe.Slice((*float64)(unsafe.Pointer(p)), total), capacity, taps)
	e := newEngine(k, r)
	in, err := backend.NewInstance(e, r, backend.Release{
		Close:       func() error { e.unpin(); C.zc_free(p); return nil },
		Unreachable: e.unpin,
	})
	if err != nil {
		e.unpin()
		C.zc_free(p)
	}
	return in, err
}

// cRegions has C allocate bytes for a handle's regions, on a cache line:
// base address in rs.views[0]. Only Close frees it; the backstop leaks it,
// since views the garbage collector cannot see may still point into it.
func cRegions(bytes int) (*regionSet, error) {
	if err := sysmem.Check(uint64(bytes)); err != nil {
		return nil, err
	}
	p := C.zc_alloc(C.size_t(bytes / 8))
	if p == nil {
		return nil, fmt.Errorf("%w: C could not allocate %d bytes", zerocall.ErrNoMemory, bytes)
	}
	rs := &regionSet{release: backend.Release{Close: func() error { C.zc_free(p); return nil }}}
	rs.views[0] = unsafe.Pointer(p)
	return rs, nil
}
