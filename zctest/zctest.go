// Package zctest tests a kernel of your own through every path zerocall
// has for it, on every host, from one call in your _test.go:
//
//	func TestSaxpy(t *testing.T) {
//		f, _ := native.NewFunc(Saxpy, unsafe.Pointer(C.saxpy))
//		zctest.Run(t, zctest.Spec{Func: f, Ref: saxpyGo, Capacity: 4096})
//	}
//
// Run calls the kernel on sizes through every SIMD remainder (0, 1, 2, 3,
// 7, 8, 15, 16, 17, 31, 33, 1000, the capacity, and one past it), on
// sub-slices that start one element past an aligned address, with NaN,
// ±Inf and subnormal inputs where the type has them, and compares every
// output with the Go reference (floats within Spec.Tolerance, integers
// exactly), and, byte for byte, every buffer the kernel only reads and a
// Count kernel's counted buffer past its count with what they held
// before the call: a kernel may write neither. Each path is also called after Close, by
// several goroutines at once where it allows that, and under
// testing.AllocsPerRun, which must count zero. Every call must leave the
// thread's floating-point control state (MXCSR on amd64, FPCR on arm64:
// flush to zero, denormals are zero, rounding) as it found it, as
// zc_kernel.h asks: Run reads the state before and after each call on the
// same thread (around the whole allocation count, not inside it) and
// fails the test, naming the kernel, the path and both states, if it
// changed, then restores it.
//
// The paths are whatever each Func has, the same on every host: its
// one-shot Call on the caller's slices (native, asm), the per-call pin
// baseline (native), and a handle in each kind of memory the host has
// (pinned Go and C-owned natively, the module's memory in wasm), called
// copying the caller's slices and in place on views of its regions.
// Then it runs a batch in each kind of memory: calls of every small size
// side by side in one batch, at offsets of their own, Add's refusals,
// Stream over more calls than the batch holds, and the same checks of
// allocations, floating-point state and Close. A Func with no batches (an
// asm Func, or a wasm module with no batch export for the kernel) has
// none, which Run logs.
package zctest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
)

// maxBuffers is the most buffers a kernel has: the length of Args.Len.
const maxBuffers = len(kernel.Args{}.Len)

// Func is a kernel's code on any host: a *native.Func (C through cgo or a
// shared library), a *wasm.Func (a wasm module, on wazero or Wasmtime), or an
// *asm.Func (C translated into Go assembly).
type Func interface {
	Kernel() *kernel.Kernel
}

// Spec describes the kernel under test.
type Spec struct {
	// Func is the kernel's code under test.
	Func Func

	// Also are more implementations of the same kernel to test the same
	// way, such as its Go assembly translation or its wasm module on
	// another engine.
	Also []Func

	// Ref is the pure-Go reference: given the inputs in bufs (one slice
	// per buffer, in declared order, of the call's lengths) and the
	// scalars in a, it writes the outputs into the written buffers and
	// returns what the kernel must return.
	Ref func(a *kernel.Args, bufs []kernel.Slice) kernel.Return

	// Lens returns the lengths of each buffer for a call of size n; nil
	// means n for every buffer.
	Lens func(n int) []int

	// Args returns the scalars for a call of size n (its Len is
	// ignored); nil means all zero.
	Args func(n int) kernel.Args

	// Tolerance is the relative difference allowed between a float output
	// (or float result) and the reference's, for kernels whose vector code
	// reassociates; 0 means the bits must be equal. NaN must meet NaN.
	Tolerance float64

	// Capacity is the capacity of each region of the handles; 0 means
	// 4096. Sizes past it must fail with ErrCapacity on those paths.
	Capacity int

	// Compare, if not nil, replaces the element-wise comparison: it
	// returns an error describing how got differs from want.
	Compare func(a *kernel.Args, in []kernel.Slice, got, want Result) error
}

// Result is one call's outputs: the written buffers and what it returned.
type Result struct {
	Bufs   []kernel.Slice
	Return kernel.Return
}

// sizes are the call sizes every path is tested at, besides the
// capacity and one past it.
var sizes = []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000}

// path is one way of calling the kernel: a fresh caller, and what it
// allows.
type path struct {
	name    string
	new     func() (caller, error)
	bounded bool // has regions, so sizes past the capacity fail
	closes  bool // calls after Close fail with ErrClosed
	shared  bool // may be called by several goroutines at once
}

// caller calls the kernel on the caller's slices.
type caller interface {
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	Close() error
}

// caps returns a capacity of c for each buffer of f's kernel.
func caps(f Func, c int) []int {
	cs := make([]int, len(f.Kernel().Buffers))
	for i := range cs {
		cs[i] = c
	}
	return cs
}

// paths returns every path of f with regions of capacity c.
func paths(f Func, c int) []path {
	name := funcs.Host(f)
	if v, _, ok := funcs.Variant(f); ok {
		name += "-" + v.String()
	}
	var ps []path
	if o, ok := f.(funcs.OneShot); ok {
		ps = append(ps, path{name: name, new: func() (caller, error) { return funcCaller{o.Call}, nil }, shared: true})
	}
	if pin := measure.PinPerCall; pin != nil {
		if call := pin(f); call != nil {
			ps = append(ps, path{name: name + "-pin-per-call", new: func() (caller, error) { return funcCaller{call}, nil }, shared: true})
		}
	}
	b, ok := f.(funcs.Binder)
	if !ok {
		return ps
	}
	cs := caps(f, c)
	for _, mem := range funcs.Kinds(b, f.Kernel()) {
		bind := func(inPlace bool) func() (caller, error) {
			return func() (caller, error) {
				h, err := b.Handle(mem, cs...)
				if err != nil {
					return nil, err
				}
				if inPlace {
					return &inPlaceCaller{h: h, k: f.Kernel()}, nil
				}
				return h, nil
			}
		}
		prefix := name + "-" + mem.String()
		ps = append(ps,
			path{name: prefix + "-copy", new: bind(false), bounded: true, closes: true},
			path{name: prefix + "-inplace", new: bind(true), bounded: true, closes: true})
	}
	return ps
}

// funcCaller calls a Func's per-call paths.
type funcCaller struct {
	call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

func (c funcCaller) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return c.call(a, bufs...)
}
func (c funcCaller) Close() error { return nil }

// funcs returns s.Func and s.Also.
func (s Spec) funcs() []Func { return append([]Func{s.Func}, s.Also...) }

// allVariants returns s.funcs(), and for each of them that was chosen
// from a table of CPU variants (native.NewVariant, asm.NewVariant), its
// kernel in every other variant this machine runs, once each.
func (s Spec) allVariants() []Func {
	fs := s.funcs()
	seen := map[string]bool{}
	for _, f := range fs {
		if v, _, ok := funcs.Variant(f); ok {
			seen[funcs.Host(f)+"-"+v.String()] = true
		}
	}
	for _, f := range fs {
		if _, others, ok := funcs.Variant(f); ok {
			for _, o := range others() {
				v, _, _ := funcs.Variant(o)
				if name := funcs.Host(o) + "-" + v.String(); !seen[name] {
					seen[name] = true
					fs = append(fs, o.(Func))
				}
			}
		}
	}
	return fs
}

// Run tests s.Func, and each of s.Also, on every path it has against
// s.Ref, then in a batch of each kind of memory its host has (subtests
// batch-<host>-<memory>). A Func chosen from a table of CPU variants
// (native.NewVariant, asm.NewVariant) is tested in every variant this
// machine runs, each on its own paths (cgo-avx2, cgo-avx2-pinned-copy, …).
func Run(t *testing.T, s Spec) {
	t.Helper()
	if s.Func == nil || s.Ref == nil {
		t.Fatal("zctest: Spec needs a Func and a Ref")
	}
	if s.Capacity == 0 {
		s.Capacity = 4096
	}
	n := 0
	for _, f := range s.allVariants() {
		if f.Kernel() != s.Func.Kernel() && f.Kernel().Name != s.Func.Kernel().Name {
			t.Fatalf("zctest: %T implements kernel %s, and Func kernel %s", f, f.Kernel().Name, s.Func.Kernel().Name)
		}
		for _, p := range paths(f, s.Capacity) {
			n++
			t.Run(p.name, func(t *testing.T) { s.runPath(t, p) })
		}
	}
	if n == 0 {
		t.Fatalf("zctest: no path runs a %T in this build", s.Func)
	}
	s.runBatches(t)
}

// runPath tests one path.
func (s Spec) runPath(t *testing.T, p path) {
	t.Helper()
	raw, err := p.new()
	if err != nil {
		t.Fatalf("%s: %v", p.name, err)
	}
	defer raw.Close()
	c := &fpCaller{c: raw, kernel: s.Func.Kernel().Name, path: p.name}
	ns := append(slices.Clone(sizes), s.Capacity)
	if p.bounded {
		ns = append(ns, s.Capacity+1)
	}
	for _, n := range ns {
		for off := range 2 {
			in := s.inputs(n, off, uint64(n*2+off), false)
			err := s.check(c, n, in)
			over := p.bounded && slices.Max(append(s.lens(n), 0)) > s.Capacity
			switch {
			case over && !errors.Is(err, zerocall.ErrCapacity):
				t.Errorf("n=%d (past capacity %d): err = %v, want ErrCapacity", n, s.Capacity, err)
			case !over && err != nil:
				t.Errorf("n=%d off=%d: %v", n, off, err)
			}
		}
	}
	t.Run("special", func(t *testing.T) {
		for _, n := range []int{1, 17, 37} {
			if err := s.check(c, n, s.inputs(n, 0, 99, true)); err != nil {
				t.Errorf("n=%d with NaN, ±Inf and subnormals: %v", n, err)
			}
		}
	})
	t.Run("types", func(t *testing.T) { s.testTypes(t, c) })
	if _, inPlace := raw.(*inPlaceCaller); !inPlace && s.Func.Kernel().NoAlias {
		t.Run("noalias", func(t *testing.T) { s.testNoAlias(t, c) })
	}
	t.Run("allocs", func(t *testing.T) { s.testAllocs(t, raw, p.name) })
	if p.shared {
		t.Run("concurrent", func(t *testing.T) { s.testConcurrent(t, p) })
	}
	if p.closes {
		t.Run("close", func(t *testing.T) { s.testClose(t, p) })
	}
}

// lens returns the buffer lengths of a call of size n.
func (s Spec) lens(n int) []int {
	if s.Lens != nil {
		return s.Lens(n)
	}
	ls := make([]int, len(s.Func.Kernel().Buffers))
	for i := range ls {
		ls[i] = n
	}
	return ls
}

// args returns the scalars of a call of size n.
func (s Spec) args(n int) kernel.Args {
	if s.Args != nil {
		return s.Args(n)
	}
	return kernel.Args{}
}

// inputs returns one slice per buffer for a call of size n, starting off
// elements past an allocation, filled from seed (outputs with a pattern
// the kernel must overwrite), with special values when special is set.
func (s Spec) inputs(n, off int, seed uint64, special bool) []kernel.Slice {
	k := s.Func.Kernel()
	ls := s.lens(n)
	bufs := make([]kernel.Slice, len(k.Buffers))
	for i, b := range k.Buffers {
		bufs[i] = fill(b.Type, ls[i], off, seed+uint64(i)*7919, special && funcs.Reads(b.Role))
	}
	return bufs
}

// check calls c on in and compares the outputs with the reference's.
func (s Spec) check(c caller, n int, in []kernel.Slice) error {
	a := s.args(n)
	want := Result{Bufs: clone(in)}
	want.Return = s.Ref(&a, want.Bufs)
	got := Result{Bufs: clone(in)}
	r, err := c.Call(&a, got.Bufs...)
	if err != nil {
		return err
	}
	got.Return = r
	return s.compare(&a, in, got, want)
}

func (s Spec) testTypes(t *testing.T, c caller) {
	k := s.Func.Kernel()
	in := s.inputs(4, 0, 5, false)
	a := s.args(4)
	if _, err := c.Call(&a, in[:len(in)-1]...); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("one buffer short: err = %v, want ErrKernel", err)
	}
	wrong := slices.Clone(in)
	other := kernel.Float64
	if k.Buffers[0].Type == kernel.Float64 {
		other = kernel.Float32
	}
	wrong[0] = fill(other, 4, 0, 1, false)
	if _, err := c.Call(&a, wrong...); !errors.Is(err, zerocall.ErrType) {
		t.Errorf("buffer 0 of type %v: err = %v, want ErrType", other, err)
	}
	if err := s.check(c, 4, in); err != nil {
		t.Errorf("a good call after the bad ones: %v", err)
	}
}

// testNoAlias checks, for a kernel that cannot update in place, that
// each buffer it writes given the very same slice as an input of its
// type fails with ErrOverlap, and that the caller's slices are left as
// they were.
func (s Spec) testNoAlias(t *testing.T, c caller) {
	k := s.Func.Kernel()
	in := s.inputs(4, 0, 5, false)
	n := 0
	for i, bi := range k.Buffers {
		for j, bj := range k.Buffers {
			if j == i || !funcs.Writes(bi.Role) || bj.Role != kernel.In || bj.Type != bi.Type || in[j].Len() == 0 {
				continue
			}
			n++
			alias := slices.Clone(in)
			alias[i] = alias[j]
			before := clone(alias)
			a := s.args(4)
			if _, err := c.Call(&a, alias...); !errors.Is(err, zerocall.ErrOverlap) {
				t.Errorf("buffer %s given the slice of %s: err = %v, want ErrOverlap", bi.Name, bj.Name, err)
			}
			if !slices.Equal(funcs.Bytes(alias[j]), funcs.Bytes(before[j])) {
				t.Errorf("buffer %s given the slice of %s: the refused call changed it", bi.Name, bj.Name)
			}
		}
	}
	if n == 0 {
		t.Skip("no buffer it writes has the type of one it reads")
	}
	if err := s.check(c, 4, in); err != nil {
		t.Errorf("a good call after the refused ones: %v", err)
	}
}

func (s Spec) testAllocs(t *testing.T, c caller, path string) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector")
	}
	in := s.inputs(100, 0, 3, false)
	a := s.args(100)
	// The state is read around the measurement, not in it.
	if err := checkFP(s.Func.Kernel().Name, path+", counting allocations", func() {
		if allocs := testing.AllocsPerRun(100, func() { _, _ = c.Call(&a, in...) }); allocs != 0 {
			t.Errorf("%v allocations per call, want 0", allocs)
		}
	}); err != nil {
		t.Error(err)
	}
}

func (s Spec) testConcurrent(t *testing.T, p path) {
	c, err := p.new()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fc := &fpCaller{c: c, kernel: s.Func.Kernel().Name, path: p.name}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				n := 10 + g*7 + i
				if err := s.check(fc, n, s.inputs(n, g%2, uint64(g*100+i), false)); err != nil {
					t.Errorf("goroutine %d call %d: %v", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func (s Spec) testClose(t *testing.T, p path) {
	c, err := p.new()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	in := s.inputs(4, 0, 1, false)
	a := s.args(4)
	if _, err := c.Call(&a, in...); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("call after Close: err = %v, want ErrClosed", err)
	}
}

// inPlaceCaller fills a handle's regions as a caller of the in-place
// path would, calls it on views of them cut to the slices' lengths, and
// reads the outputs back. What does not fit is not copied, and its view
// is given its slice's length, so that the handle's own capacity check is
// what fails.
type inPlaceCaller struct {
	h *kernel.Handle
	k *kernel.Kernel
	// Here, not on the stack: the interface call would make them escape.
	args  kernel.Args
	views [maxBuffers]kernel.Slice
}

func (c *inPlaceCaller) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	k := c.k
	if len(bufs) != len(k.Buffers) {
		return kernel.Return{}, fmt.Errorf("%w: %d buffers", kernel.ErrKernel, len(bufs))
	}
	if err := c.h.Err(); err != nil {
		return kernel.Return{}, err
	}
	c.args = *a
	for i, s := range bufs {
		if b := k.Buffers[i]; s.Type() != b.Type {
			return kernel.Return{}, fmt.Errorf("%w: buffer %s of kernel %s holds %v, not %v", zerocall.ErrType, b.Name, k.Name, b.Type, s.Type())
		}
		r := c.h.Region(i)
		if funcs.Reads(k.Buffers[i].Role) && s.Len() <= r.Len() {
			copy(funcs.Bytes(r), funcs.Bytes(s))
		}
		c.views[i] = funcs.SliceAt(r.Pointer(), s.Len(), r.Type())
	}
	ret, err := c.h.Call(&c.args, c.views[:len(bufs)]...)
	if err != nil {
		return ret, err
	}
	for i, s := range bufs {
		if funcs.Writes(k.Buffers[i].Role) {
			n := s.Len()
			if k.Result == kernel.Count && i == k.CountOf {
				n = int(ret.N)
			}
			copy(funcs.Bytes(s), funcs.Bytes(c.h.Region(i))[:n*s.Type().Size()])
		}
	}
	return ret, nil
}
func (c *inPlaceCaller) Close() error { return c.h.Close() }
