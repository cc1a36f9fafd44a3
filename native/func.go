package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
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
	k     *kernel.Kernel
	fn    C.uintptr_t // the C function
	ctx   C.uintptr_t // the frame's ctx
	small bool        // the arguments fit zcg_pass4
}

// newFunc returns k's Func for the C function fn with the frame constant
// ctx.
func newFunc(k *kernel.Kernel, fn, ctx C.uintptr_t) *Func {
	f := &Func{k: k, fn: fn, ctx: ctx}
	f.small = len(k.Buffers) <= 4 && len(k.Floats) <= 2 && len(k.Ints) <= 2
	return f
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
	return newFunc(k, C.uintptr_t(uintptr(fn)), 0), nil
}

// Builtin returns the built-in kernel k (one of kernel.Builtins) in
// variant v, through the same convention as any other Func.
func Builtin(k *kernel.Kernel, v zerocall.Variant) (*Func, error) {
	t, err := kernels(v)
	if err != nil {
		return nil, err
	}
	i := builtinNumber(k)
	if i < 0 {
		return nil, fmt.Errorf("%w: %s is not a built-in kernel", kernel.ErrKernel, k.Name)
	}
	return newFunc(k, C.zcg_frame_fn(C.int(i)), t), nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel { return f.k }
