package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
)

// NewCOwned returns an instance over C-owned memory (pattern 3): C
// allocates one cache-line-aligned block with zc_alloc, Go sees it through
// slice views, and Close frees it with zc_free. The Regions are views of C
// memory: after Close they point at freed memory and must not be touched.
//
// If the instance is dropped without Close, a backstop frees the memory
// and zerocall.Leaked counts it.
func NewCOwned(cfg Config) (*zerocall.Instance, error) {
	k, capacity, taps, total, err := cfg.layout()
	if err != nil {
		return nil, err
	}
	p := C.zc_alloc(C.size_t(total))
	if p == nil {
		return nil, fmt.Errorf("zerocall: C could not allocate %d bytes", total*8)
	}
	r := regions(unsafe.Slice((*float64)(unsafe.Pointer(p)), total), capacity, taps)
	free := func() error {
		C.zc_free(p)
		return nil
	}
	return zerocall.NewInstance(newEngine(k, r), r, free), nil
}
