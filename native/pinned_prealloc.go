//go:build cgo

package native

import (
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/sysmem"
)

// newPinned returns an instance over Go-owned memory (pattern 1): one Go
// allocation, pinned once with a runtime.Pinner, whose addresses C keeps
// until Close unpins it. A call copies its inputs into the buffers, or the
// caller writes them in place through Regions.
//
// A capacity the machine cannot provide fails with zerocall.ErrNoMemory
// before anything is allocated. If the instance is dropped without Close,
// a backstop unpins the memory, which views of the Regions keep alive as
// any Go memory, and zerocall.Leaked counts it.
func newPinned(cfg zerocall.Config) (*zerocall.Instance, error) {
	k, capacity, taps, total, err := layout(cfg)
	if err != nil {
		return nil, err
	}
	if err := sysmem.Check(uint64(total+align-1) * 8); err != nil {
		return nil, err
	}
	// Over-allocate by a cache line less one element, and start at the
	// first aligned element: Go aligns large allocations only to 8 bytes
	// by contract.
	mem := make([]float64, total+align-1)
	skip := (align - int(uintptr(unsafe.Pointer(&mem[0]))/8%align)) % align
	mem = mem[skip : skip+total]

	p := new(runtime.Pinner)
	p.Pin(&mem[0])
	r := regions(mem, capacity, taps)
	e := newEngine(k, r)
	unpin := func() { e.unpin(); p.Unpin() }
	in, err := backend.NewInstance(e, r, backend.Release{
		Close:       func() error { unpin(); return nil },
		Unreachable: unpin,
	})
	if err != nil {
		unpin()
	}
	return in, err
}

// pinnedRegions allocates bytes of Go memory for a handle's regions,
// starting on a cache line, and pins it once: base address in
// rs.views[0]. Closing unpins it, and so does the backstop, since the
// views keep Go memory alive.
func pinnedRegions(bytes int) (*regionSet, error) {
	if err := sysmem.Check(uint64(bytes) + align*8); err != nil {
		return nil, err
	}
	mem := make([]uint64, bytes/8+align)
	skip := (align - int(uintptr(unsafe.Pointer(&mem[0]))/8%align)) % align
	p := new(runtime.Pinner)
	p.Pin(&mem[skip])
	rs := &regionSet{release: backend.Release{
		Close:       func() error { p.Unpin(); return nil },
		Unreachable: p.Unpin,
	}}
	rs.views[0] = unsafe.Pointer(&mem[skip])
	return rs, nil
}
