package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// Func is a C function in the calling convention of zc_kernel.h, bound to
// the description of the kernel it implements. Every native path calls a
// Func: Straight and Direct with the caller's slices, NewOwned and
// NewShared over regions that stay put. A Func is immutable and may be
// used from any number of goroutines.
//
// Get one from your own cgo package with NewFunc, from a shared library
// loaded at run time with Library.Func, or for a built-in kernel with
// Builtin.
type Func struct {
	k   *kernel.Kernel
	fn  C.uintptr_t // the C function
	ctx C.uintptr_t // the frame's ctx
}

// NewFunc returns the C function fn as an implementation of k. fn is the
// address of a function of type zc_kernel_fn, such as
// unsafe.Pointer(C.my_kernel) in a cgo package of yours. It fails with
// kernel.ErrKernel if k is not valid, and with zerocall.ErrArgument if fn
// is nil. Nothing can check that fn has the convention's signature and
// keeps k's rules: that is the C side's promise.
func NewFunc(k *kernel.Kernel, fn unsafe.Pointer) (*Func, error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: nil function for kernel %s", zerocall.ErrArgument, k.Name)
	}
	return &Func{k: k, fn: C.uintptr_t(uintptr(fn))}, nil
}

// Builtin returns the built-in kernel k (one of kernel.Builtins) in
// variant v, through the same convention as any other Func.
func Builtin(k *kernel.Kernel, v Variant) (*Func, error) {
	t, err := kernels(v)
	if err != nil {
		return nil, err
	}
	i := builtinNumber(k)
	if i < 0 {
		return nil, fmt.Errorf("%w: %s is not a built-in kernel", kernel.ErrKernel, k.Name)
	}
	return &Func{k: k, fn: C.zcg_frame_fn(C.int(i)), ctx: t}, nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel { return f.k }

// check runs the kernel's own check of a call's lengths and scalars.
func (f *Func) check(a *kernel.Args) error {
	if f.k.Check == nil {
		return nil
	}
	return f.k.Check(*a)
}

// result turns what the kernel returned into the call's Return: a
// negative value is the kernel's error, and a count must lie within the
// counted buffer's length, or the kernel broke its contract.
func (f *Func) result(ret C.int64_t, res C.double, a *kernel.Args) (kernel.Return, error) {
	r := kernel.Return{N: int64(ret), F: float64(res)}
	if r.N < 0 {
		return kernel.Return{}, kernel.Status(f.k, r.N)
	}
	if f.k.Result == kernel.Count && r.N > int64(a.Len[f.k.CountOf]) {
		return kernel.Return{}, fmt.Errorf("%w: kernel %s reported %d elements written to %s, which has %d",
			errs.Broken, f.k.Name, r.N, f.k.Buffers[f.k.CountOf].Name, a.Len[f.k.CountOf])
	}
	return r, nil
}

// checkSlices checks the caller's slices against the kernel's buffers:
// their number and types, and that a buffer the kernel writes overlaps no
// other buffer unless it is exactly the same slice (an update in place).
// It sets a.Len from the slices.
func (f *Func) checkSlices(a *kernel.Args, bufs []kernel.Slice) error {
	bs := f.k.Buffers
	if len(bufs) != len(bs) {
		return fmt.Errorf("%w: kernel %s takes %d buffers, not %d", kernel.ErrKernel, f.k.Name, len(bs), len(bufs))
	}
	for i, s := range bufs {
		if s.Type() != bs[i].Type {
			return errs.Type
		}
		a.Len[i] = s.Len()
	}
	for i, s := range bufs {
		if !bs[i].Role.Writes() {
			continue
		}
		for j, o := range bufs {
			same := s.Pointer() == o.Pointer() && s.Len() == o.Len()
			if j != i && s.Overlaps(o) && (bs[j].Role.Writes() || !same) {
				return errs.Overlap
			}
		}
	}
	return f.check(a)
}

// fits4 reports whether the kernel's arguments fit the small trampolines.
func (f *Func) fits4() bool {
	return len(f.k.Buffers) <= 4 && len(f.k.Floats) <= 2 && len(f.k.Ints) <= 2
}
