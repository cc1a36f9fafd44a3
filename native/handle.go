package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// owned is the native host of a kernel.Handle: its frame, in pinned Go
// memory of its own, holds the regions' addresses from the start; a call
// writes only the lengths and scalars into it and calls the function.
type owned struct {
	f      *Func
	fr     *C.zcg_frame // pinned Go memory: the frame (its buffers are the regions) and the return
	args   *kernel.Args // fr's lengths and scalars, laid out as Args
	frAddr C.uintptr_t
	fn     C.uintptr_t // f.fn
	// The kernel's numbers of buffers and scalars, and the buffer it
	// counts: read on every call, kept here rather than behind f.k.
	nb, nf, ni int
	count      int         // the counted buffer of a Count kernel, or -1
	desc       C.uintptr_t // the batch descriptor, for a Batch
	rel        backend.Release
	clean      runtime.Cleanup
}

// frameBox holds a frame, with the slot for its kernel's return, in Go
// memory of its own, so that pinning it pins nothing else.
type frameBox struct{ fr C.zcg_frame }

// Handle returns a handle that calls f over regions owned as mem says
// (zerocall.Pinned Go memory or zerocall.COwned C memory; any other is
// zerocall.ErrUnsupported), with caps[i] elements for buffer i of f's
// kernel (one capacity per buffer, each at least 1). A capacity below 1,
// or one whose region would take more than a terabyte, fails with
// zerocall.ErrArgument naming the buffer, as on every host; capacities
// the machine cannot hold fail with zerocall.ErrNoMemory before anything
// is allocated.
func (f *Func) Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error) {
	if f == nil || f.k == nil {
		return nil, funcs.Unmade("native.Func")
	}
	o, views, err := newOwned(f, mem, caps, 0)
	if err != nil {
		return nil, err
	}
	return regionset.NewHandle(f.k, caps, views[:len(caps)], o), nil
}

// newOwned allocates the regions of a handle, and the descriptor of a
// batch of items items if items is positive (the last of the views it
// returns), and makes their host.
func newOwned(f *Func, mem zerocall.Memory, caps []int, items int) (*owned, []unsafe.Pointer, error) {
	if err := checkMemory(f.k, mem); err != nil {
		return nil, nil, err
	}
	bs := f.k.Buffers
	if len(caps) != len(bs) {
		return nil, nil, fmt.Errorf("%w: kernel %s has %d buffers, and %d capacities were given", kernel.ErrKernel, f.k.Name, len(bs), len(caps))
	}
	sizes := make([]int, len(bs), len(bs)+1)
	for i := range bs {
		n, err := regionset.RegionBytes(f.k, i, caps[i])
		if err != nil {
			return nil, nil, err
		}
		sizes[i] = n
	}
	if items > 0 {
		n, err := regionset.DescriptorBytes(f.k, items)
		if err != nil {
			return nil, nil, err
		}
		sizes = append(sizes, n)
	}
	rs, err := allocRegions(mem, sizes)
	if err != nil {
		return nil, nil, fmt.Errorf("kernel %s's regions: %w", f.k.Name, err)
	}
	box := new(frameBox)
	var pin runtime.Pinner
	pin.Pin(box)
	o := newHost(f, &box.fr, rs.views[:len(bs)])
	o.rel = backend.Release{
		Close: func() error {
			err := rs.release.Close()
			pin.Unpin()
			return err
		},
		Unreachable: func() {
			if rs.release.Unreachable != nil {
				rs.release.Unreachable()
			}
			pin.Unpin()
		},
	}
	// The host is reachable only through its Handle: when the Handle is
	// dropped without Close, so is the host.
	o.clean = runtime.AddCleanup(o, func(r backend.Release) {
		leak.Add()
		r.Unreachable()
	}, o.rel)
	return o, rs.views[:len(sizes)], nil
}

// Close releases the regions; the Handle calls it once. A built-in
// kernel's host of an Instance has nothing to release: the Instance
// releases its regions and frames.
func (o *owned) Close() error {
	if o.rel.Close == nil {
		return nil
	}
	o.clean.Stop()
	return o.rel.Close()
}

// The frame's lengths and scalars are laid out as kernel.Args is: these
// fail to compile if they are not.
var (
	_ [unsafe.Offsetof(kernel.Args{}.F)]struct{} = [unsafe.Offsetof(C.zc_frame{}.f) - unsafe.Offsetof(C.zc_frame{}.len)]struct{}{}
	_ [unsafe.Offsetof(kernel.Args{}.I)]struct{} = [unsafe.Offsetof(C.zc_frame{}.i) - unsafe.Offsetof(C.zc_frame{}.len)]struct{}{}
)

// Frame returns the frame's lengths and scalars, where a Handle writes
// each call's arguments.
func (o *owned) Frame() *kernel.Args { return o.args }

// Run calls the kernel on a's lengths and scalars, which the Handle has
// checked and written into the frame (a is o.args); those of an
// Instance's call are copied in first.
func (o *owned) Run(a *kernel.Args) (kernel.Return, error) {
	fr := &o.fr.fr
	if a != o.args {
		for i := range o.nb {
			fr.len[i] = C.int64_t(a.Len[i])
		}
		for i := range o.nf {
			fr.f[i] = C.double(a.F[i])
		}
		for i := range o.ni {
			fr.i[i] = C.int64_t(a.I[i])
		}
	}
	fr.result = 0 // a kernel that stores none returns 0, not an earlier call's
	C.zcg_run(o.fn, o.frAddr)
	ret := int64(o.fr.ret)
	if ret >= 0 && (o.count < 0 || ret <= int64(a.Len[o.count&(len(a.Len)-1)])) {
		return kernel.Return{N: ret, F: float64(fr.result)}, nil
	}
	return o.f.k.Returned(ret, float64(fr.result), a)
}

// newHost returns the host of f's handle whose frame, with its return,
// is box, in pinned memory, over regions at views.
func newHost(f *Func, box *C.zcg_frame, views []unsafe.Pointer) *owned {
	k, fr := f.k, &box.fr
	o := &owned{f: f, fr: box, fn: f.fn, nb: len(k.Buffers), nf: len(k.Floats), ni: len(k.Ints), count: -1}
	if k.Result == kernel.Count {
		o.count = k.CountOf
	}
	o.frAddr = C.uintptr_t(uintptr(unsafe.Pointer(fr)))
	o.args = (*kernel.Args)(unsafe.Pointer(&fr.len))
	C.zcg_set_ctx(o.frAddr, f.ctx)
	copy(fr.buf[:], views)
	return o
}

// RunBatch runs the first n items of the batch descriptor in one C call.
func (o *owned) RunBatch(n int) error {
	C.zcg_batch(o.f.fn, o.f.ctx, o.desc, C.int64_t(n))
	return nil
}
