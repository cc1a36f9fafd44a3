package asm

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// maxBuffers is the most buffers a kernel has: the length of Args.Len.
const maxBuffers = len(kernel.Args{}.Len)

// Func is a kernel of your own: a C function in the calling convention
// of zc_kernel.h, translated into Go assembly by
//
//	zerocall gen -code -o mykernel mykernel.c
//
// and bound to the description of the kernel it implements. Call passes
// the caller's slices straight to it, with no copy, no pin and no
// crossing, and any number of goroutines may call one Func at once. A
// Func is immutable.
//
// The code cannot be preempted (see "Bounded calls"): a kernel that may
// run long should be called on pieces of its work.
type Func struct {
	k    *kernel.Kernel
	code uintptr
}

// NewFunc returns the translated C function whose code is at code as an
// implementation of k. code is what the generated <name>Code function
// returns; anything else is undefined behaviour, as a wrong function
// pointer is in C. NewFunc fails with kernel.ErrKernel if k is not valid,
// and with zerocall.ErrUnsupported if code is 0, which <name>Code
// returns on an architecture with no translation.
func NewFunc(k *kernel.Kernel, code uintptr) (*Func, error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	if code == 0 || !haveCall {
		return nil, fmt.Errorf("%w: no Go assembly of kernel %s for this architecture", zerocall.ErrUnsupported, k.Name)
	}
	return &Func{k: k, code: code}, nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel { return f.k }

// frame is zc_frame of zc_kernel.h, field for field.
type frame struct {
	buf    [maxBuffers]unsafe.Pointer
	len    [maxBuffers]int64
	f      [kernel.MaxScalars]float64
	i      [kernel.MaxScalars]int64
	ctx    unsafe.Pointer
	result float64
}

// Call calls f once with the caller's slices, one for each of the
// kernel's buffers in declared order, and the scalars of a (a.Len is
// ignored: each length is its slice's). The frame lives on the
// goroutine's stack for the length of the call. Slices of the wrong
// number or type fail with kernel.ErrKernel or zerocall.ErrType; a buffer
// the kernel writes may not overlap another buffer, except by being the
// very same slice as one it only reads (zerocall.ErrOverlap). A kernel
// that reports more outputs than its counted buffer has fails the call
// with zerocall.ErrBroken; f keeps no state, so later calls are not
// affected.
func (f *Func) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	c := *a
	if err := f.k.CheckSlices(&c, bufs); err != nil {
		return kernel.Return{}, err
	}
	var fr frame
	for i, s := range bufs {
		if s.Len() > 0 {
			fr.buf[i] = s.Pointer()
		}
		fr.len[i] = int64(s.Len())
	}
	fr.f, fr.i = c.F, c.I
	ret := callFrame(f.code, &fr)
	return f.k.Returned(ret, fr.result, &c)
}
