// Package regionset is what every handle over a kernel's regions does the
// same way, whoever owns the memory: check a call against the regions'
// capacities, copy the caller's slices in and out, hand out typed views,
// and remember a failure that breaks the handle. A host supplies only how
// one call runs (a Runner): native writes a frame in pinned Go memory and
// calls C, package wasm writes the frame into the module's memory and
// calls an export.
package regionset

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// Runner runs one call of a kernel on the first a.Len[i] elements of each
// region, the lengths already checked. a points into the Set, so that the
// caller's Args need not escape through the interface call.
type Runner interface {
	Run(a *kernel.Args) (kernel.Return, error)
}

// Set is the regions of one handle: one per buffer of its kernel, each
// with a fixed capacity in elements.
type Set struct {
	K      *kernel.Kernel
	N      int // buffers
	Caps   [kernel.MaxBuffers]int
	Views  [kernel.MaxBuffers]unsafe.Pointer
	Closed bool
	Broken error       // wraps ErrBroken once a call broke the handle
	args   kernel.Args // the arguments of the call in progress
}

// Err returns nil while the handle can run its kernel, ErrClosed after
// Close, and the failure that broke it after one.
func (s *Set) Err() error {
	if s.Closed {
		return errs.Closed
	}
	return s.Broken
}

// Call runs the kernel in place through r after checking each length
// against its region's capacity and the kernel's Check.
func (s *Set) Call(r Runner, a *kernel.Args) (kernel.Return, error) {
	if err := s.Err(); err != nil {
		return kernel.Return{}, err
	}
	for i := range s.N {
		if n := a.Len[i]; n < 0 || n > s.Caps[i] {
			return kernel.Return{}, s.lenErr(i, n, 0)
		}
	}
	if err := s.K.CheckArgs(a); err != nil {
		return kernel.Return{}, err
	}
	s.args = *a
	return s.run(r)
}

// run calls r on s.args and keeps an error that breaks the handle.
func (s *Set) run(r Runner) (kernel.Return, error) {
	ret, err := r.Run(&s.args)
	if err != nil && errors.Is(err, errs.Broken) {
		s.Broken = err
	}
	return ret, err
}

// Copy runs the kernel on the caller's slices, one per buffer in
// declared order, through the regions: the slices the kernel reads are
// copied in, the kernel runs on their lengths, and the slices it writes
// get what it wrote (the count, for the counted buffer of a Count
// kernel). Slices longer than their region fail with ErrCapacity, slices
// of the handle's own regions with ErrOverlap.
func (s *Set) Copy(r Runner, a *kernel.Args, bufs []kernel.Slice) (kernel.Return, error) {
	if err := s.Err(); err != nil {
		return kernel.Return{}, err
	}
	s.args = *a
	if err := s.K.CheckSlices(&s.args, bufs); err != nil {
		return kernel.Return{}, err
	}
	bs := s.K.Buffers
	// The regions' byte ranges, once: every slice is checked against each.
	var lo, hi [kernel.MaxBuffers]uintptr
	for j := range s.N {
		lo[j] = uintptr(s.Views[j])
		hi[j] = lo[j] + uintptr(s.Caps[j]*bs[j].Type.Size())
	}
	for i, b := range bufs {
		if b.Len() > s.Caps[i] {
			return kernel.Return{}, s.lenErr(i, b.Len(), 0)
		}
		if b.Len() == 0 {
			continue
		}
		p := uintptr(b.Pointer())
		end := p + uintptr(b.Len()*bs[i].Type.Size())
		for j := range s.N {
			if p < hi[j] && lo[j] < end {
				return kernel.Return{}, s.ownErr(i, j)
			}
		}
	}
	for i, b := range bufs {
		if bs[i].Role.Reads() {
			copy(s.Region(i).Bytes(), b.Bytes())
		}
	}
	ret, err := s.run(r)
	if err != nil {
		return ret, err
	}
	for i, b := range bufs {
		if !bs[i].Role.Writes() {
			continue
		}
		n := b.Len()
		if s.K.Result == kernel.Count && i == s.K.CountOf {
			n = int(ret.N)
		}
		copy(b.Bytes(), s.Region(i).Bytes()[:n*bs[i].Type.Size()])
	}
	return ret, nil
}

// lenErr is the error of a call on n elements of region i from element
// off on, which is out of the region: ErrArgument for a negative length
// or offset, ErrCapacity past the region's end. It names the kernel, the
// buffer, the numbers and the region's capacity. Kept out of the calls,
// which build it only when they fail, it keeps their frames small.
//
//go:noinline
func (s *Set) lenErr(i, n, off int) error {
	b := s.K.Buffers[i].Name
	switch {
	case n < 0:
		return fmt.Errorf("%w: kernel %s: a length of %d for buffer %s", errs.Argument, s.K.Name, n, b)
	case off < 0:
		return fmt.Errorf("%w: kernel %s: an offset of %d into region %s", errs.Argument, s.K.Name, off, b)
	case off == 0:
		return fmt.Errorf("%w: kernel %s: a length of %d for buffer %s, whose region holds %d",
			errs.Capacity, s.K.Name, n, b, s.Caps[i])
	}
	return fmt.Errorf("%w: kernel %s: %d elements from %d of region %s, which holds %d",
		errs.Capacity, s.K.Name, n, off, b, s.Caps[i])
}

// ownErr is Copy's error for the caller's slice for buffer i, which
// overlaps the handle's own region j.
//
//go:noinline
func (s *Set) ownErr(i, j int) error {
	return fmt.Errorf("%w: kernel %s: the slice for buffer %s overlaps the handle's region %s; call in place on data already there",
		errs.Overlap, s.K.Name, s.K.Buffers[i].Name, s.K.Buffers[j].Name)
}

// Region returns region i as a Slice of its capacity, whatever its type,
// or an empty Slice after Close.
func (s *Set) Region(i int) kernel.Slice {
	if s.Closed {
		return kernel.Slice{}
	}
	return kernel.SliceAt(s.Views[i], s.Caps[i], s.K.Buffers[i].Type)
}

// View returns region i as a []T of its capacity. It fails with ErrType
// unless T is the element type the kernel declares for buffer i, with
// ErrArgument for an index out of range, and with ErrClosed after Close.
func View[T kernel.Elem](s *Set, i int) ([]T, error) {
	if s.Closed {
		return nil, errs.Closed
	}
	if i < 0 || i >= s.N {
		return nil, fmt.Errorf("%w: kernel %s has no buffer %d", errs.Argument, s.K.Name, i)
	}
	if b := s.K.Buffers[i]; kernel.TypeOf[T]() != b.Type {
		return nil, fmt.Errorf("%w: buffer %s of kernel %s holds %v, not %v", errs.Type, b.Name, s.K.Name, b.Type, kernel.TypeOf[T]())
	}
	return unsafe.Slice((*T)(s.Views[i]), s.Caps[i]), nil
}
