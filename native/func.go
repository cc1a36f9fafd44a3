package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/escape"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

func init() {
	funcs.OnVariants(func(f *Func) zerocall.Variant { return f.variant },
		func(f *Func, v zerocall.Variant) (*Func, error) {
			g, err := NewVariant(f.k, f.table, v)
			if g != nil {
				g.lib = f.lib
			}
			return g, err
		},
		Variants)
	funcs.Library = func(f any) bool {
		g, ok := f.(*Func)
		return ok && g != nil && g.lib
	}
}

// Func is a C function in the calling convention of zc_kernel.h, bound to
// the description of the kernel it implements. Every native path calls a
// Func: Call with the caller's slices, Handle and Batch over regions that
// stay put. A Func is immutable and may be used from any number of
// goroutines.
//
// Get one from your own cgo package with NewFunc (or NewVariant, for a
// kernel built in every CPU variant by ZC_VARIANTS), from a shared library
// loaded at run time with Library.Func, or for a built-in kernel with
// Builtin. For a kernel of your cgo package called very often on a few
// elements, zerocall bind writes a typed call of it, whose checks are
// written out for its buffers.
type Func struct {
	k       *kernel.Kernel
	fn      C.uintptr_t      // the C function
	ctx     C.uintptr_t      // the frame's ctx
	variant zerocall.Variant // NewVariant's choice; Auto for other Funcs
	table   unsafe.Pointer   // NewVariant's table of variants (C memory)
	lib     bool             // a Library's: the kits name its paths dlopen
}

// newFunc returns k's Func for the C function fn with the frame constant
// ctx.
func newFunc(k *kernel.Kernel, fn, ctx C.uintptr_t) *Func {
	return &Func{k: k, fn: fn, ctx: ctx}
}

// NewFunc returns the C function fn as an implementation of k. fn is the
// address of a function of type zc_kernel_fn, such as
// unsafe.Pointer(C.my_kernel) in a cgo package of yours. It fails with
// kernel.ErrKernel if k is not valid, and with zerocall.ErrArgument if fn
// is nil. Nothing can check that fn has the convention's signature and
// keeps k's rules: that is the C side's promise.
func NewFunc(k *kernel.Kernel, fn unsafe.Pointer) (*Func, error) {
	if err := funcs.Validate(k); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: nil function for kernel %s", zerocall.ErrArgument, k.Name)
	}
	return newFunc(k, C.uintptr_t(uintptr(fn)), 0), nil
}

// NewVariant returns variant v of a kernel that ZC_VARIANTS of
// zc_kernel.h built from one C body in every variant, as an implementation
// of k. table is the address of the variants' table, such as
// unsafe.Pointer(&C.my_kernel_variants) in a cgo package of yours.
//
// zerocall.Auto runs the best variant this CPU and its OS support (AVX-512,
// then AVX2, then the baseline), capped by ZEROCALL_VARIANT as the
// built-ins are; any other v is forced, and fails with
// zerocall.ErrUnsupported where this machine cannot run it or the table
// has no such variant (on arm64, Scalar and NEON are the one baseline
// build). It fails with kernel.ErrKernel if k is not valid, and with
// zerocall.ErrArgument if table is nil. As with NewFunc, nothing can check
// that table is such a table, of functions that keep k's rules: that is
// the C side's promise.
func NewVariant(k *kernel.Kernel, table unsafe.Pointer, v zerocall.Variant) (*Func, error) {
	if err := funcs.Validate(k); err != nil {
		return nil, err
	}
	if table == nil {
		return nil, fmt.Errorf("%w: nil table of variants for kernel %s", zerocall.ErrArgument, k.Name)
	}
	if v < zerocall.Auto || v >= C.ZC_VARIANT_COUNT {
		return nil, fmt.Errorf("%w: kernel %s: no variant %v", zerocall.ErrUnsupported, k.Name, v)
	}
	t := (*C.zc_variants)(table)
	// The cap is read here, not by C's getenv: on Windows, a variable
	// set by os.Setenv does not reach the C runtime's copy.
	w := C.zc_variant_pick(t, C.int(v), C.int(funcs.EnvCap()))
	if w < 0 {
		return nil, fmt.Errorf("%w: kernel %s has no variant %v that this machine runs", zerocall.ErrUnsupported, k.Name, v)
	}
	f := newFunc(k, C.uintptr_t(uintptr(unsafe.Pointer(t.fn[w]))), 0)
	f.variant, f.table = zerocall.Variant(w), table
	return f, nil
}

// Builtin returns the built-in kernel k (kernel.Sum, Dot, Axpy, FIR or
// MatMul) in variant v, through the same convention as any other Func.
// zerocall.VariantOf reports Auto for it, as for any Func of one build.
func Builtin(k *kernel.Kernel, v zerocall.Variant) (*Func, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: nil kernel", kernel.ErrKernel)
	}
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
func (f *Func) Kernel() *kernel.Kernel {
	if f == nil {
		return nil
	}
	return f.k
}

// Call calls f once with the caller's slices, one for each of the kernel's
// buffers in declared order, and the scalars of a (a.Len is not read: each
// length is its slice's). It copies and pins nothing: the pointers are
// valid for the duration of the call, and the frame is built on the
// calling goroutine's stack, so any number of goroutines may call it at
// once. Slices of the wrong number or type fail with kernel.ErrKernel or
// zerocall.ErrType; a buffer the kernel writes may not overlap another
// buffer, except by being the very same slice as one it only reads where
// the kernel is not NoAlias (zerocall.ErrOverlap). A kernel that reports
// more outputs than its counted buffer has fails the call with
// zerocall.ErrBroken; f keeps no state, so later calls are not affected.
func (f *Func) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	if f == nil || f.k == nil {
		funcs.ToHeap(bufs) // here, off the path of the calls: see frame
		return kernel.Return{}, funcs.Unmade("native.Func")
	}
	var fr frame
	if a != nil {
		// The scalars: CheckSlices sets the lengths from the slices.
		fr.args.F, fr.args.I = a.F, a.I
	}
	if err := f.k.CheckSlices(&fr.args, bufs); err != nil {
		return kernel.Return{}, err
	}
	for i := range bufs {
		fr.buf[i&(maxBuffers-1)] = uintptr(bufs[i].Pointer())
	}
	fr.ctx = uintptr(f.ctx)
	C.zcg_run_on(f.fn, (*C.char)(escape.Pointer(unsafe.Pointer(&fr))))
	runtime.KeepAlive(unsafe.SliceData(bufs))
	return funcs.Returned(f.k, fr.ret, fr.result, &fr.args, bufs)
}

// frame is zc_frame, built in Go for one call and passed to C by address
// alone: two arguments cross instead of the 14 to 26 of a frame built
// from arguments in C, and a cgo call's cost grows with its arguments.
//
// The cgo rules hold by construction. The frame holds the buffers'
// addresses as integers, so it is Go memory without Go pointers, which C
// may use for the length of the call (a goroutine's stack does not move
// while it runs C). The buffers themselves must then not move either:
// funcs.ToHeap, which stores nothing, makes escape analysis put them on the heap,
// as cgo does with its own pointer arguments; and Call keeps them alive
// until C returns. The kernel keeps no pointer past the call. The address
// goes as a char pointer, a pointer to a type without pointers, in which
// cgo has nothing to check; hidden from escape analysis, the frame stays
// on the stack.
type frame struct {
	buf    [maxBuffers]uintptr
	args   kernel.Args
	ctx    uintptr
	result float64
	ret    int64 // the kernel's return, which zcg_run_on leaves here
}

// frame is laid out as zcg_frame, a zc_frame and the return: these fail
// to compile if it is not.
var (
	_ [unsafe.Sizeof(frame{})]struct{}          = [unsafe.Sizeof(C.zcg_frame{})]struct{}{}
	_ [unsafe.Offsetof(frame{}.args)]struct{}   = [unsafe.Offsetof(C.zc_frame{}.len)]struct{}{}
	_ [unsafe.Offsetof(frame{}.ctx)]struct{}    = [unsafe.Offsetof(C.zc_frame{}.ctx)]struct{}{}
	_ [unsafe.Offsetof(frame{}.result)]struct{} = [unsafe.Offsetof(C.zc_frame{}.result)]struct{}{}
	_ [unsafe.Offsetof(frame{}.ret)]struct{}    = [unsafe.Offsetof(C.zcg_frame{}.ret)]struct{}{}
	_ [unsafe.Sizeof(kernel.Args{})]struct{}    = [unsafe.Offsetof(C.zc_frame{}.ctx) - unsafe.Offsetof(C.zc_frame{}.len)]struct{}{}
)
