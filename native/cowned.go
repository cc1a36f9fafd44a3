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

// cRegions has C allocate bytes for a handle's regions, on a cache line:
// base address in rs.views[0]. Only Close frees it; the backstop leaks it,
// since views the garbage collector cannot see may still point into it.
func cRegions(bytes int) (*regionSet, error) {
	if err := sysmem.Check(uint64(bytes)); err != nil {
		return nil, err
	}
	// One cache line at least: zc_alloc refuses 0, and a kernel with no
	// buffers has regions of none (pinned memory takes a line too).
	p := C.zc_alloc(C.size_t(max(bytes, C.ZC_ALIGN) / 8))
	if p == nil {
		return nil, fmt.Errorf("%w: C could not allocate %d bytes", zerocall.ErrNoMemory, bytes)
	}
	rs := &regionSet{release: backend.Release{Close: func() error { C.zc_free(p); return nil }}}
	rs.views[0] = unsafe.Pointer(p)
	return rs, nil
}
