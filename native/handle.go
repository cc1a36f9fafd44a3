package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/zerocall/zerocall/backend"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// Memory says who owns the regions of a handle.
type Memory int

const (
	// Pinned regions are one Go allocation, pinned once (pattern 1).
	Pinned Memory = iota
	// COwned regions are one C allocation, freed by C on Close
	// (pattern 3).
	COwned
)

// String returns the pattern's name.
func (m Memory) String() string {
	switch m {
	case Pinned:
		return "pinned"
	case COwned:
		return "cowned"
	}
	return "unknown"
}

// Owned is a kernel function bound to regions of its own, one per buffer
// of its kernel, each 64-byte aligned with the capacity it was given. The
// regions' addresses go into a frame once, at construction; a call writes
// only the lengths and scalars into it and calls the function. Owned has
// no lock: it belongs to one goroutine at a time (the seed's third
// option), and is the fastest way to call a kernel with stable buffers.
// Use Shared to share one between goroutines, or a zerocall.Pool of them.
//
// The caller writes inputs through View and calls Call on the first n
// elements of each region (in place), or hands Copy slices to copy in and
// out.
//
// If an Owned is dropped without Close, a backstop unpins its Go memory,
// which views keep alive, and leaks C-owned regions rather than free
// memory a view may still reach; zerocall.Leaked counts it.
type Owned struct {
	f      *Func
	fr     *C.zc_frame // pinned Go memory; its buffers are the regions
	frAddr C.uintptr_t
	set    regionset.Set
	rel    backend.Release
	clean  runtime.Cleanup
}

// frameBox holds a frame in Go memory of its own, so that pinning it pins
// nothing else.
type frameBox struct{ fr C.zc_frame }

// NewOwned returns a handle that calls f over regions owned as mem says,
// with caps[i] elements for buffer i of f's kernel (one capacity per
// buffer, each at least 1). A capacity below 1, or one whose region would
// take more than a terabyte, fails with zerocall.ErrArgument naming the
// buffer, as on every host; capacities the machine cannot hold fail with
// zerocall.ErrNoMemory before anything is allocated.
func NewOwned(f *Func, mem Memory, caps ...int) (*Owned, error) {
	h, _, err := newOwned(f, mem, caps, 0)
	return h, err
}

// newOwned makes an Owned whose memory also holds the descriptor of a
// batch of items items, if items is positive, and returns its address.
func newOwned(f *Func, mem Memory, caps []int, items int) (*Owned, unsafe.Pointer, error) {
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
		return nil, nil, err
	}
	h := &Owned{f: f, set: regionset.Set{K: f.k, N: len(bs)}}
	box := new(frameBox)
	h.fr = &box.fr
	var pin runtime.Pinner
	pin.Pin(box)
	h.frAddr = C.uintptr_t(uintptr(unsafe.Pointer(h.fr)))
	C.zcg_set_ctx(h.frAddr, f.ctx)
	for i := range bs {
		h.set.Caps[i], h.set.Views[i] = caps[i], rs.views[i]
		h.fr.buf[i] = rs.views[i]
	}
	h.rel = backend.Release{
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
	h.clean = runtime.AddCleanup(h, func(r backend.Release) {
		leak.Add()
		r.Unreachable()
	}, h.rel)
	return h, rs.views[len(bs)], nil
}

// Kernel returns the description of the handle's kernel.
func (h *Owned) Kernel() *kernel.Kernel { return h.f.k }

// Cap returns the capacity of region i, in elements; fixed at
// construction.
func (h *Owned) Cap(i int) int { return h.set.Caps[i] }

// Err returns nil while the handle can run its kernel, ErrClosed after
// Close, and the failure that broke it (wrapping ErrBroken) after one.
func (h *Owned) Err() error { return h.set.Err() }

// Close releases the regions. Views taken before must no longer be used.
// Closing twice is harmless.
func (h *Owned) Close() error {
	if h.set.Closed {
		return nil
	}
	h.set.Closed = true
	h.clean.Stop()
	return h.rel.Close()
}

// View returns region i of h as a []T of its capacity. It fails with
// zerocall.ErrType unless T is the element type the kernel declares for
// buffer i, with zerocall.ErrArgument for an index out of range, and with
// zerocall.ErrClosed after Close.
func View[T kernel.Elem](h *Owned, i int) ([]T, error) { return regionset.View[T](&h.set, i) }

// Call runs the kernel in place, on the first a.Len[i] elements of each
// region, with the scalars of a. A length past its region's capacity
// fails with zerocall.ErrCapacity; the kernel's Check and its own
// negative returns give their errors, and the handle stays usable. A
// kernel that breaks its contract (a count past its buffer) breaks the
// handle with ErrBroken.
func (h *Owned) Call(a *kernel.Args) (kernel.Return, error) { return h.set.Call(h, a) }

// Run writes a's lengths and scalars into the frame and calls the
// kernel; the lengths are checked. It is the handle's regionset.Runner, not
// an API: use Call.
func (h *Owned) Run(a *kernel.Args) (kernel.Return, error) {
	fr := h.fr
	for i := range h.set.N {
		fr.len[i] = C.int64_t(a.Len[i])
	}
	for i := range len(h.f.k.Floats) {
		fr.f[i] = C.double(a.F[i])
	}
	for i := range len(h.f.k.Ints) {
		fr.i[i] = C.int64_t(a.I[i])
	}
	return h.f.k.Returned(int64(C.zcg_call(h.f.fn, h.frAddr)), float64(fr.result), a)
}

// Copy runs the kernel on the caller's slices, one per buffer in
// declared order, through the regions: the slices the kernel reads are
// copied in, the kernel runs on their lengths, and the slices it writes
// get what it wrote (the count, for the counted buffer of a Count
// kernel). Slices longer than their region fail with
// zerocall.ErrCapacity; slices of the handle's own regions with
// zerocall.ErrOverlap, since copying them in would overwrite them.
func (h *Owned) Copy(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return h.set.Copy(h, a, bufs)
}

// Region returns region i as a Slice of its capacity, whatever its type,
// or an empty Slice after Close.
func (h *Owned) Region(i int) kernel.Slice { return h.set.Region(i) }

// Shared is an Owned behind a mutex of its own, so that goroutines may
// share it (the seed's first option), at the cost of waiting on each
// other. Filling the regions and calling the kernel in place are two
// steps that the mutex cannot join: Do holds the lock across both.
type Shared struct {
	mu sync.Mutex
	h  *Owned
}

// NewShared returns a Shared over a new Owned; see NewOwned.
func NewShared(f *Func, mem Memory, caps ...int) (*Shared, error) {
	h, err := NewOwned(f, mem, caps...)
	if err != nil {
		return nil, err
	}
	return &Shared{h: h}, nil
}

// Copy runs Owned.Copy with the lock held.
func (s *Shared) Copy(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.Copy(a, bufs...)
}

// Do runs f with the lock held and the handle to fill and call in place.
// f must not keep the handle, or views of it, after it returns.
func (s *Shared) Do(f func(h *Owned) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s.h)
}

// Err returns the handle's state; see Owned.Err.
func (s *Shared) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.Err()
}

// Close closes the handle, after any call in progress.
func (s *Shared) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.Close()
}
