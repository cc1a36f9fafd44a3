package asm

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// maxBuffers is the most buffers a kernel has: the length of Args.Len.
const maxBuffers = len(kernel.Args{}.Len)

// Func is a kernel of your own: a C function in the calling convention
// of zc_kernel.h, translated into Go assembly by
//
//	zerocall gen -code -o mykernel mykernel.c
//
// and bound to the description of the kernel it implements: NewFunc takes
// one translated function, NewVariant the best of the CPU variants that
// ZC_VARIANTS built from one C body. Call passes the caller's slices
// straight to it, with no copy, no pin and no crossing, and any number of
// goroutines may call one Func at once. A Func is immutable.
//
// The code cannot be preempted (see "Bounded calls"): a kernel that may
// run long should be called on pieces of its work. For a kernel called
// very often on a few elements, zerocall bind writes a typed call of it,
// whose checks are written out for its buffers and which calls the
// chosen variant directly.
type Func struct {
	k       *kernel.Kernel
	code    uintptr
	variant zerocall.Variant // NewVariant's choice; Auto for NewFunc's
	codes   []uintptr        // NewVariant's table of variants
}

func init() {
	funcs.OnVariants(func(f *Func) zerocall.Variant { return f.variant },
		func(f *Func, v zerocall.Variant) (*Func, error) { return NewVariant(f.k, f.codes, v) },
		Variants)
}

// NewFunc returns the translated C function whose code is at code as an
// implementation of k. code is what the generated <name>Code function
// returns; anything else is undefined behaviour, as a wrong function
// pointer is in C. NewFunc fails with kernel.ErrKernel if k is not valid,
// and with zerocall.ErrUnsupported if code is 0, which <name>Code
// returns on an architecture with no translation.
func NewFunc(k *kernel.Kernel, code uintptr) (*Func, error) {
	if err := funcs.Validate(k); err != nil {
		return nil, err
	}
	if code == 0 || !haveCall {
		return nil, fmt.Errorf("%w: no Go assembly of kernel %s for this architecture", zerocall.ErrUnsupported, k.Name)
	}
	return &Func{k: k, code: code}, nil
}

// NewVariant returns variant v of a kernel of yours that ZC_VARIANTS of
// zc_kernel.h built from one C body in every CPU variant, and that
// zerocall gen -code translated, as an implementation of k. codes is what
// the generated <name>Variants function returns: the address of each
// variant's code, by its zerocall.Variant (0 where there is none).
//
// zerocall.Auto runs the best variant golang.org/x/sys/cpu reports this
// CPU and its OS can run (AVX-512, then AVX2 with FMA, then the baseline;
// on arm64 the baseline, which is NEON code), capped by ZEROCALL_VARIANT
// as native's choice is; any other v is forced. A variant this machine
// cannot run, or codes lacks, fails with zerocall.ErrUnsupported, as does
// every variant on an architecture with no translation; an invalid k
// fails with kernel.ErrKernel. Addresses other than the generated ones
// are undefined behaviour, as in NewFunc.
func NewVariant(k *kernel.Kernel, codes []uintptr, v zerocall.Variant) (*Func, error) {
	if err := funcs.Validate(k); err != nil {
		return nil, err
	}
	has := func(w zerocall.Variant) bool { return w > 0 && int(w) < len(codes) && codes[w] != 0 }
	var t *table
	if v == zerocall.Auto {
		t = choose(has)
	} else if t = lookup(v); t != nil && !has(v) {
		t = nil
	}
	if t == nil {
		return nil, fmt.Errorf("%w: no Go assembly of kernel %s in variant %v that this machine runs", zerocall.ErrUnsupported, k.Name, v)
	}
	f, err := NewFunc(k, codes[t.variant])
	if err == nil {
		f.variant, f.codes = t.variant, slices.Clone(codes)
	}
	return f, err
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel {
	if f == nil {
		return nil
	}
	return f.k
}

// frame is zc_frame of zc_kernel.h, field for field: its lengths and
// scalars are laid out as kernel.Args is, so a call checks its arguments
// where the kernel reads them.
type frame struct {
	buf    [maxBuffers]unsafe.Pointer
	args   kernel.Args
	ctx    unsafe.Pointer
	result float64
}

// Call calls f once with the caller's slices, one for each of the kernel's
// buffers in declared order, and the scalars of a (a.Len is ignored: each
// length is its slice's). The frame lives on the goroutine's stack for the
// length of the call. Slices of the wrong number or type fail with
// kernel.ErrKernel or zerocall.ErrType; a buffer the kernel writes may not
// overlap another buffer, except by being the very same slice as one it
// only reads where the kernel is not NoAlias (zerocall.ErrOverlap). A
// kernel that reports more outputs than its counted buffer has fails the
// call with zerocall.ErrBroken; f keeps no state, so later calls are not
// affected.
func (f *Func) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	if f == nil || f.k == nil {
		return kernel.Return{}, funcs.Unmade("asm.Func")
	}
	var fr frame
	if a != nil {
		fr.args.F = a.F
		fr.args.I = a.I
	}
	if err := f.k.CheckSlices(&fr.args, bufs); err != nil {
		return kernel.Return{}, err
	}
	for i := range bufs {
		fr.buf[i&(maxBuffers-1)] = bufs[i].Pointer() // any address for an empty slice (zc_kernel.h)
	}
	ret := callFrame(f.code, &fr)
	return funcs.Returned(f.k, ret, fr.result, &fr.args, bufs)
}
