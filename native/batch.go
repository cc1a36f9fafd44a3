//go:build cgo

package native

// #include "zc_go.h"
import "C"

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// Batch returns a kernel.Batch of items calls over regions owned as mem
// says, with caps[i] elements for buffer i of f's kernel; see Handle. The
// descriptor lies in the same memory as the regions, and Run hands it to
// one C loop (zc_run_batch of zc_kernel.h).
func (f *Func) Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error) {
	if f == nil || f.k == nil {
		return nil, funcs.Unmade("native.Func")
	}
	if err := checkMemory(f.k, mem); err != nil {
		return nil, err
	}
	if err := regionset.CheckItems(f.k, items); err != nil {
		return nil, err
	}
	o, views, err := newOwned(f, mem, caps, items)
	if err != nil {
		return nil, err
	}
	nb := len(caps)
	desc := views[nb]
	o.desc = C.uintptr_t(uintptr(desc))
	base := make([]uint64, nb)
	for i := range base {
		base[i] = uint64(uintptr(views[i]))
	}
	return regionset.NewBatch(f.k, caps, views[:nb], o, desc, items, base), nil
}
