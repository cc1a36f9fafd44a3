//go:build cgo

package native

import (
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/sysmem"
)

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
