// Package funcs is what the test kit and the benchmark kit know of any
// host's Func, with no switch on hosts: what it can do (a one-shot Call
// on the caller's slices; handles and batches over regions of its own),
// the kinds of memory to ask a host for, and the host's name, which the
// kits' paths and rows carry.
package funcs

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/escape"
	"github.com/zerocall/zerocall/internal/hostapi"
	"github.com/zerocall/zerocall/kernel"
)

// OneShot calls the kernel once on the caller's slices (native, asm).
type OneShot interface {
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

// Binder makes handles and batches over regions of its own (native, and
// wasm on every runtime).
type Binder interface {
	Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error)
	Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error)
}

// Memories are the kinds of memory a handle may have; each host takes
// the ones it has, and refuses the others with ErrUnsupported.
var Memories = []zerocall.Memory{zerocall.Pinned, zerocall.COwned, zerocall.Module}

// Runtime, set by package wasm when it is linked in, names the runtime of
// f if it is a *wasm.Func ("wazero", "wasmtime"), or returns "".
var Runtime = func(f any) string { return "" }

// Library, set by package native when it is linked in, reports whether f
// is a *native.Func of a shared library (native.Load), which the kits
// name dlopen, apart from the cgo Funcs of the same C.
var Library = func(f any) bool { return false }

// variantHosts are the hosts' reports of the CPU variants of their Funcs;
// see OnVariants.
var variantHosts []variantHost

type variantHost struct {
	of     func(f any) (zerocall.Variant, bool)
	others func(f any) []any
}

// OnVariants adds the report of a host with CPU variants (native, asm:
// they add theirs from init functions) on its Funcs of type F chosen from
// a table of variants: of returns the variant f runs (Auto for a Func of
// one build), in returns f's kernel in variant v of the same table, and
// machine lists the variants this machine runs. A nil Func, which a
// failed constructor returns, runs none: of is not asked.
func OnVariants[F comparable](of func(F) zerocall.Variant, in func(f F, v zerocall.Variant) (F, error), machine func() []zerocall.Variant) {
	variantOf := func(f any) (zerocall.Variant, bool) {
		g, ok := f.(F)
		var none F
		if !ok || g == none || of(g) == zerocall.Auto {
			return zerocall.Auto, false
		}
		return of(g), true
	}
	// zerocall.VariantOf asks the same question of every host.
	hostapi.VariantOf = append(hostapi.VariantOf, func(f any) (int, bool) {
		v, ok := variantOf(f)
		return int(v), ok
	})
	variantHosts = append(variantHosts, variantHost{
		of: variantOf,
		others: func(f any) []any {
			g := f.(F)
			var others []any
			for _, v := range machine() {
				if o, err := in(g, v); err == nil && of(o) != of(g) {
					others = append(others, o)
				}
			}
			return others
		},
	})
}

// Variant returns the CPU variant f runs, and its kernel in each other
// variant this machine runs, if f was chosen from a table of variants;
// false for a Func of one build, and for a wasm Func.
func Variant(f any) (v zerocall.Variant, others func() []any, ok bool) {
	for _, h := range variantHosts {
		if v, ok := h.of(f); ok {
			return v, func() []any { return h.others(f) }, true
		}
	}
	return zerocall.Auto, nil, false
}

// Host names the host of f, a Func of package native, wasm or asm: cgo,
// dlopen (a shared library's), asm, or the runtime of a wasm Func
// (wazero, wasmtime).
func Host(f any) string {
	if r := Runtime(f); r != "" {
		return r
	}
	if Library(f) {
		return "dlopen"
	}
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	switch pkg {
	case "native":
		return "cgo"
	}
	return pkg
}

// Unsupported is the error of a handle or batch of kernel k (nil for a
// built-in instance) asked for memory of kind mem, which its host has
// not; have says what it has.
func Unsupported(k *kernel.Kernel, mem zerocall.Memory, have string) error {
	who := ""
	if k != nil {
		who = "kernel " + k.Name + ": "
	}
	name := map[zerocall.Memory]string{zerocall.Pinned: "zerocall.Pinned", zerocall.COwned: "zerocall.COwned", zerocall.Module: "zerocall.Module"}[mem]
	if name == "" {
		name = fmt.Sprintf("zerocall.Memory(%d)", int(mem))
	}
	return fmt.Errorf("%w: %s%s, not %s", zerocall.ErrUnsupported, who, have, name)
}

// Kinds returns the kinds of memory b's host has for kernel k, in the
// order of Memories: those of which it makes a handle (a small one, closed
// at once) rather than refuse them with ErrUnsupported.
func Kinds(b Binder, k *kernel.Kernel) []zerocall.Memory {
	ones := make([]int, len(k.Buffers))
	for i := range ones {
		ones[i] = 1
	}
	var ms []zerocall.Memory
	for _, mem := range Memories {
		h, err := b.Handle(mem, ones...)
		if errors.Is(err, zerocall.ErrUnsupported) {
			continue
		}
		if err == nil {
			_ = h.Close()
		}
		ms = append(ms, mem)
	}
	return ms
}

// SliceAt returns the n elements of type t at p as a Slice: the kits'
// views of regions and of bytes they allocated, which are not Go slices
// of the element type.
func SliceAt(p unsafe.Pointer, n int, t kernel.Type) kernel.Slice {
	if n == 0 {
		p = nil
	}
	return SliceIn(p, n, t)
}

// SliceIn is SliceAt that keeps p for an empty Slice too, as a caller's
// x[:0] keeps its array's address: the test kit's slices, whose guards
// then catch a kernel that touches an empty buffer.
func SliceIn(p unsafe.Pointer, n int, t kernel.Type) kernel.Slice {
	switch t {
	case kernel.Float64:
		return kernel.SliceOf(unsafe.Slice((*float64)(p), n))
	case kernel.Float32:
		return kernel.SliceOf(unsafe.Slice((*float32)(p), n))
	case kernel.Int64:
		return kernel.SliceOf(unsafe.Slice((*int64)(p), n))
	case kernel.Int32:
		return kernel.SliceOf(unsafe.Slice((*int32)(p), n))
	}
	return kernel.SliceOf(unsafe.Slice((*uint8)(p), n))
}

// Sub returns the n elements of s from its element off.
func Sub(s kernel.Slice, off, n int) kernel.Slice {
	return SliceAt(unsafe.Add(s.Pointer(), off*s.Type().Size()), n, s.Type())
}

// Bytes returns the memory of s as bytes.
func Bytes(s kernel.Slice) []byte {
	if s.Len() == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(s.Pointer()), s.Len()*s.Type().Size())
}

// Float reports whether t holds floating-point numbers.
func Float(t kernel.Type) bool { return t == kernel.Float64 || t == kernel.Float32 }

// Reads and Writes report whether a kernel reads, or writes, a buffer of
// role r.
func Reads(r kernel.Role) bool  { return r != kernel.Out }
func Writes(r kernel.Role) bool { return r != kernel.In }

// Regions returns how many regions h has: one per buffer of its kernel.
func Regions(h *kernel.Handle) int {
	n := 0
	for h.Region(n).Type() != 0 {
		n++
	}
	return n
}

// Validate checks a kernel description, for a host making a Func of it:
// an error wrapping kernel.ErrKernel says what is wrong. (Package kernel
// sets it; see internal/hostapi.)
var Validate = hostapi.Validate.(func(*kernel.Kernel) error)

// Checked returns g, the Go version of k, as a one-shot call: the checks
// of k.CheckSlices on a copy of the Args, then g on that copy and the
// slices. The copy is hidden from escape analysis, so a call allocates
// nothing: g must not keep a past its return.
func Checked(k *kernel.Kernel, g func(a *kernel.Args, bufs []kernel.Slice) kernel.Return) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		var c kernel.Args
		if a != nil {
			c.F, c.I = a.F, a.I // CheckSlices sets the lengths
		}
		if err := k.CheckSlices(&c, bufs); err != nil {
			return kernel.Return{}, err
		}
		return g((*kernel.Args)(escape.Pointer(unsafe.Pointer(&c))), bufs), nil
	}
}

// ToHeap makes escape analysis put the buffers of bufs on the heap, in
// every caller of the function whose parameter bufs is, wherever in it
// the call stands: a call that gives C the buffers' addresses as
// integers (native.Func.Call's frame), or passes them on hidden from
// escape analysis to such a call (plan.Plan.Call), needs them where they
// do not move, as cgo puts its own pointer arguments. A goroutine's stack
// moves when it grows at a call or shrinks at a collection, and integers
// would not move with it. It stores nothing (heap.never is false), so it
// may stand on a branch no call takes, where it costs the calls nothing.
func ToHeap(bufs []kernel.Slice) {
	if heap.never {
		toHeap(bufs)
	}
}

// toHeap stores the buffers' addresses where escape analysis loses track
// of them. Out of line, its write barriers are nobody's cost.
//
//go:noinline
func toHeap(bufs []kernel.Slice) {
	for _, b := range bufs {
		heap.sink = b.Pointer()
	}
}

// heap is toHeap's: never is false, and sink is never read.
var heap struct {
	never bool
	sink  unsafe.Pointer
}

// Returned is k.Returned for a one-shot call on bufs whose frame's
// lengths and scalars are a: the lengths are the slices' again first, so
// that a kernel that writes its frame (as it must not) cannot raise its
// counted buffer's length past the count it reports.
func Returned(k *kernel.Kernel, ret int64, res float64, a *kernel.Args, bufs []kernel.Slice) (kernel.Return, error) {
	if ret >= 0 && (k.Result != kernel.Count || ret <= int64(bufs[k.CountOf].Len())) {
		return kernel.Return{N: ret, F: res}, nil // bufs as the call checked them
	}
	for i := range bufs {
		a.Len[i&(len(a.Len)-1)] = bufs[i].Len()
	}
	return k.Returned(ret, res, a)
}

// EnvCap returns the variant $ZEROCALL_VARIANT names, or zerocall.Auto
// (no cap) when it names none: the highest variant a host's Auto may
// choose, for native and asm alike.
func EnvCap() zerocall.Variant {
	env := os.Getenv("ZEROCALL_VARIANT")
	for _, v := range []zerocall.Variant{zerocall.Scalar, zerocall.AVX2, zerocall.AVX512, zerocall.SIMD128, zerocall.NEON} {
		if env != "" && v.String() == env {
			return v
		}
	}
	return zerocall.Auto
}

// Unmade is the error of a method called on a nil or zero value of what
// (a Func, a Library), which only its package's constructors make, such
// as the nil Func a failed constructor returns beside its error.
func Unmade(what string) error {
	return fmt.Errorf("%w: a nil or zero %s: its package's constructors make one", zerocall.ErrArgument, what)
}
