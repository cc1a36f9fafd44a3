// Package zctest tests a kernel of your own through every path zerocall
// has for it, on every host, from one call in your _test.go. A _test.go
// file cannot use cgo, so the Func comes from a file of the package that
// can:
//
//	// saxpy.go, with import "C"
//	func saxpyFunc() (*native.Func, error) {
//		return native.NewFunc(Saxpy, unsafe.Pointer(C.saxpy))
//	}
//
//	// saxpy_test.go
//	func TestSaxpy(t *testing.T) {
//		f, err := saxpyFunc()
//		if err != nil {
//			t.Fatal(err)
//		}
//		zctest.Run(t, zctest.Spec{Func: f, Ref: saxpyGo, Capacity: 4096})
//	}
//
// Run calls the kernel on sizes through every SIMD remainder (0, 1, 2, 3,
// 7, 8, 15, 16, 17, 31, 33, 1000, the capacity, and one past it), on
// sub-slices that start one element past an aligned address, and on
// sub-slices each misaligned differently, with NaN, ±Inf, -0 and
// subnormal inputs where the type has them (at places that
// differ from buffer to buffer, so that a special value meets ordinary
// numbers and the other special values), and compares every output with
// the Go reference (floats within Spec.Tolerance, integers exactly), and,
// byte for byte, every buffer the kernel only reads and a Count kernel's
// counted buffer past its count with what they held before the call: a
// kernel may write neither. Nor may it write outside its slices: each
// slice Run allocates has guard bytes before and after it (an empty one
// too, which has an address, as a caller's x[:0] has), and where Run
// fills a handle's regions or a batch's, the elements past each call's,
// up to the next call's or a few kilobytes on, hold guard bytes too;
// a call that changes one fails. Each call is made again between guards
// of another byte and must give the same, or it reads outside its slices.
// Each buffer is also given one element fewer and one more than Lens
// says: a call the kernel's Check lets through must still stay inside its
// slices and keep its count in range. A kernel with no NoAlias is called with
// each buffer it writes given the very slice of one it reads, of its type
// and length, an update in place the hosts allow: it must compute what
// it computes on slices of their own. Each path is also called after Close, by
// several goroutines at once where it allows that, and under
// testing.AllocsPerRun, which must count zero (but the pin-per-call
// baseline's one allocation of runtime.Pinner for more than five
// slices), on the largest size up to 100 that fits the capacity. Every
// call must leave the
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
// copying the caller's slices and in place on views of its regions,
// which Run copies back whole into the caller's slices after each call,
// so that the in-place path is checked as the others are.
// A host refuses a kind of memory it has not with ErrUnsupported, before
// any other fault of the arguments. Then it runs a batch in each kind of
// memory: calls of every small size
// side by side in one batch, at offsets of their own, Add's refusals,
// Stream over more calls than the batch holds, and the same checks of
// allocations, floating-point state and Close. A Func with no batches (an
// asm Func, or a wasm module with no batch export for the kernel) has
// none, which Run logs. Allocations are not counted under the race
// detector or the address sanitizer (go test -race, -asan), which move to
// the heap what the compiler otherwise keeps on the stack.
package zctest

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
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

	// Lens returns the lengths of each buffer for a call of size n, one
	// per buffer, none negative; nil means n for every buffer.
	Lens func(n int) []int

	// Args returns the scalars for a call of size n (its Len is
	// ignored); nil means all zero.
	Args func(n int) kernel.Args

	// Tolerance is the relative difference allowed between a float output
	// (or float result) and the reference's, for kernels whose vector code
	// reassociates; 0 means the bits must be equal, and a negative (or
	// NaN) one is refused. NaN must meet NaN.
	Tolerance float64

	// Capacity is the capacity of each region of the handles; 0 means
	// 4096, and a negative one is refused. Sizes past it must fail with
	// ErrCapacity on those paths; the checks made at a given size (special
	// values, types, aliasing, allocations) take the largest size up to
	// it that fits, so that any capacity from 1 up can be tested.
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
	pins    bool // pins each slice per call: runtime.Pinner's allocation
}

// pinnerInline is how many pins a runtime.Pinner holds without
// allocating: a call that pins more allocates once, the cost of pinning
// per call that the pin-per-call baseline shows.
const pinnerInline = 5

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
			ps = append(ps, path{name: name + "-pin-per-call", new: func() (caller, error) { return funcCaller{call}, nil }, shared: true, pins: true})
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
				return &copyCaller{h: h, k: f.Kernel()}, nil
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
// machine runs, each on its own paths (cgo-avx2, cgo-avx2-pinned-copy, …);
// its batches run the variant it was chosen in, as its Batch does.
//
// A Spec Run cannot test (no Func or Ref, a nil Func among Also, a
// kernel of no buffers, whose calls of scalars alone have no sizes to
// test, a negative Capacity, a negative or NaN Tolerance, Lens that does
// not give one length per buffer) stops the test with t.Fatal, saying
// what is wrong.
func Run(t *testing.T, s Spec) {
	t.Helper()
	if err := s.validate(); err != nil {
		t.Fatalf("zctest: %v", err)
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

// The benchmark kit checks the Spec it measures as Run does.
func init() { measure.ValidateSpec = func(s any) error { return s.(Spec).validate() } }

// validate returns an error saying what is wrong with s, if Run cannot
// test it.
func (s Spec) validate() error {
	if s.Ref == nil {
		return errors.New("Spec needs a Ref")
	}
	if err := funcErr("Spec.Func", s.Func); err != nil {
		return err
	}
	for i, f := range s.Also {
		if err := funcErr(fmt.Sprintf("Spec.Also[%d]", i), f); err != nil {
			return err
		}
	}
	k := s.Func.Kernel()
	if len(k.Buffers) == 0 || len(k.Buffers) > maxBuffers {
		return fmt.Errorf("kernel %s has %d buffers; Run tests kernels of 1 to %d", k.Name, len(k.Buffers), maxBuffers)
	}
	if s.Capacity < 0 {
		return fmt.Errorf("Spec.Capacity is %d; give a positive capacity, or 0 for 4096", s.Capacity)
	}
	if !(s.Tolerance >= 0) {
		return fmt.Errorf("Spec.Tolerance is %v; give a positive relative difference, or 0 for equal bits", s.Tolerance)
	}
	if s.Lens == nil {
		return nil
	}
	c := s.Capacity
	if c == 0 {
		c = 4096
	}
	// Every size Run calls at: those up to 100 (the small sizes, the
	// batch's, the concurrent calls' and the counted one), 1000, the
	// capacity and one past it.
	check := func(n int) error {
		ls := s.Lens(n)
		if len(ls) != len(k.Buffers) {
			return fmt.Errorf("Spec.Lens(%d) returns %d lengths, want %d, one per buffer of kernel %s", n, len(ls), len(k.Buffers), k.Name)
		}
		for i, l := range ls {
			if l < 0 {
				return fmt.Errorf("Spec.Lens(%d) returns a length of %d for buffer %s", n, l, k.Buffers[i].Name)
			}
		}
		return nil
	}
	for n := range 101 {
		if err := check(n); err != nil {
			return err
		}
	}
	for _, n := range []int{1000, c, c + 1} {
		if err := check(n); err != nil {
			return err
		}
	}
	return nil
}

// funcErr returns an error, naming f as what, if f is nil, a nil pointer
// (as a failed constructor returns), or has no kernel.
func funcErr(what string, f Func) error {
	if f == nil {
		return fmt.Errorf("%s is nil", what)
	}
	switch v := reflect.ValueOf(f); v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return fmt.Errorf("%s is a nil %T, as a constructor returns beside its error", what, f)
		}
	}
	if f.Kernel() == nil {
		return fmt.Errorf("%s, a %T, has no kernel", what, f)
	}
	return nil
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
		for off := range 3 { // aligned, each one element past, each at its own offset (offApart)
			in := s.inputs(n, off, uint64(n*2+off), false)
			err := s.check(c, n, in)
			over := p.bounded && slices.Max(append(s.lens(n), 0)) > s.Capacity
			switch {
			case over && !errors.Is(err, zerocall.ErrCapacity):
				t.Errorf("n=%d (past capacity %d): err = %v, want ErrCapacity", n, s.Capacity, err)
			case !over && err != nil:
				t.Errorf("n=%d off=%s: %v", n, offName(off), err)
			}
		}
	}
	t.Run("special", func(t *testing.T) {
		done := -1
		for _, n := range []int{1, 17, 37} {
			if n = s.fit(p, n); n <= done {
				continue
			}
			done = n
			if err := s.check(c, n, s.inputs(n, 0, 99, true)); err != nil {
				t.Errorf("n=%d with NaN, ±Inf and subnormals: %v", n, err)
			}
		}
		if done < 0 {
			t.Skipf("no size up to 37 has lengths within the capacity, %d", s.Capacity)
		}
	})
	// The checks of refused calls make calls of size 4, or the largest
	// below it that fits.
	small := s.fit(p, 4)
	t.Run("types", func(t *testing.T) { s.testTypes(t, c, small) })
	if _, inPlace := raw.(*inPlaceCaller); !inPlace && s.Func.Kernel().NoAlias {
		t.Run("noalias", func(t *testing.T) { s.testNoAlias(t, c, small) })
	} else if !inPlace {
		t.Run("alias", func(t *testing.T) { s.testAlias(t, c, s.fit(p, 37)) })
	}
	t.Run("lengths", func(t *testing.T) { s.testLengths(t, p) })
	t.Run("allocs", func(t *testing.T) { s.testAllocs(t, raw, p) })
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
// elements past a 64-byte boundary (offApart: each its own), filled from
// seed (outputs with a pattern
// the kernel must overwrite), with special values when special is set.
func (s Spec) inputs(n, off int, seed uint64, special bool) []kernel.Slice {
	return s.inputsOf(s.lens(n), off, seed, special)
}

// inputsOf is inputs for buffers of lengths ls.
func (s Spec) inputsOf(ls []int, off int, seed uint64, special bool) []kernel.Slice {
	k := s.Func.Kernel()
	bufs := make([]kernel.Slice, len(k.Buffers))
	for i, b := range k.Buffers {
		o := off
		if off == offApart {
			o = i + 1
		}
		bufs[i] = fill(b.Type, ls[i], o, seed+uint64(i)*7919, special && funcs.Reads(b.Role), i)
	}
	return bufs
}

// testLengths calls the kernel, at a size of 17, with each buffer in turn
// one element shorter and one longer than Lens gives: a call that the
// kernel's Check lets through must still write nothing outside its slices
// nor break its contract, as a kernel that takes every length from one
// buffer does, and corrupts a caller's memory. The results are not
// compared (the reference need not take such calls); refusals pass.
func (s Spec) testLengths(t *testing.T, p path) {
	n := s.fit(p, 17)
	if n < 0 {
		t.Skipf("no size up to 17 has lengths within the capacity, %d", s.Capacity)
	}
	base := s.lens(n)
	for i, b := range s.Func.Kernel().Buffers {
		for _, d := range []int{-1, 1} {
			ls := slices.Clone(base)
			if ls[i] += d; ls[i] < 0 || p.bounded && ls[i] > s.Capacity {
				continue
			}
			err := func() error {
				raw, err := p.new() // of its own: a broken handle stays so
				if err != nil {
					return err
				}
				defer raw.Close()
				c := &fpCaller{c: raw, kernel: s.Func.Kernel().Name, path: p.name}
				in := s.inputsOf(ls, 0, uint64(i*2+d+7), false)
				a := s.args(n)
				_, err = c.Call(&a, in...)
				if gerr := s.guarded(in); gerr != nil {
					return gerr
				}
				if errors.Is(err, zerocall.ErrBroken) {
					return err
				}
				return nil
			}()
			if err != nil {
				t.Errorf("n=%d with buffer %s of %d elements, not %d: %v", n, b.Name, ls[i], base[i], err)
			}
		}
	}
}

// offApart, as the offset of inputs, puts buffer i i+1 elements past a
// 64-byte boundary: each buffer misaligned, and each differently from
// the others, which a kernel that aligns one of its pointers and assumes
// the others follow gets wrong.
const offApart = 2

// offName names an offset of inputs in a failure.
func offName(off int) string {
	if off == offApart {
		return "i+1 for buffer i"
	}
	return strconv.Itoa(off)
}

// check calls c on in and compares the outputs with the reference's,
// and checks that the call wrote nothing outside its slices. Then it
// makes the same call on copies whose guards hold other bytes, which must
// give the same: a kernel that reads past its slices, where a value
// close to zero read from the first guards may change nothing, reads
// values near the largest from the second.
func (s Spec) check(c caller, n int, in []kernel.Slice) error {
	a := s.args(n)
	want := Result{Bufs: clone(in)}
	want.Return = s.Ref(&a, want.Bufs)
	got, a, err := s.guardedCall(c, n, in, guardByte)
	if err != nil {
		return err
	}
	if err := s.compare(&a, in, got, want); err != nil {
		return err
	}
	again, a, err := s.guardedCall(c, n, in, rereadByte)
	if err != nil {
		return fmt.Errorf("the same call again, with other bytes around its slices: %w", err)
	}
	if err := s.compare(&a, in, again, got); err != nil {
		return fmt.Errorf("the same call again, with other bytes around its slices, gave another result: the kernel reads outside its slices, or depends on more than its inputs: %w", err)
	}
	return nil
}

// guardedCall calls c at size n on copies of in whose guards hold g, and
// returns what the call gave and its Args, or the first failure: a guard
// it wrote, then the call's own error.
func (s Spec) guardedCall(c caller, n int, in []kernel.Slice, g byte) (Result, kernel.Args, error) {
	a := s.args(n)
	got := Result{Bufs: clone(in)}
	if g != guardByte {
		reguard(got.Bufs, g)
	}
	r, err := c.Call(&a, got.Bufs...)
	if gerr := s.guardedBy(got.Bufs, g); gerr != nil {
		return got, a, gerr
	}
	got.Return = r
	return got, a, err
}

// testTypes checks that calls of size n with a buffer short or of the
// wrong type are refused, and that a good call follows them.
func (s Spec) testTypes(t *testing.T, c caller, n int) {
	if n < 0 {
		t.Skipf("no size up to 4 has lengths within the capacity, %d", s.Capacity)
	}
	k := s.Func.Kernel()
	in := s.inputs(n, 0, 5, false)
	a := s.args(n)
	if _, err := c.Call(&a, in[:len(in)-1]...); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("one buffer short: err = %v, want ErrKernel", err)
	}
	wrong := slices.Clone(in)
	other := kernel.Float64
	if k.Buffers[0].Type == kernel.Float64 {
		other = kernel.Float32
	}
	wrong[0] = fill(other, in[0].Len(), 0, 1, false, 0)
	if _, err := c.Call(&a, wrong...); !errors.Is(err, zerocall.ErrType) {
		t.Errorf("buffer 0 of type %v: err = %v, want ErrType", other, err)
	}
	if err := s.guarded(append(wrong, in[0])); err != nil {
		t.Errorf("the refused calls: %v", err)
	}
	if err := s.check(c, n, in); err != nil {
		t.Errorf("a good call after the bad ones: %v", err)
	}
}

// testNoAlias checks, for a kernel that cannot update in place, that
// each buffer it writes given the very same slice as an input of its
// type fails with ErrOverlap, and that the caller's slices are left as
// they were.
func (s Spec) testNoAlias(t *testing.T, c caller, size int) {
	if size < 0 {
		t.Skipf("no size up to 4 has lengths within the capacity, %d", s.Capacity)
	}
	k := s.Func.Kernel()
	in := s.inputs(size, 0, 5, false)
	n := 0
	for i, j := range updates(k) {
		if in[j].Len() == 0 {
			continue
		}
		n++
		alias := slices.Clone(in)
		alias[i] = alias[j]
		before := clone(alias)
		a := s.args(size)
		bi, bj := k.Buffers[i].Name, k.Buffers[j].Name
		if _, err := c.Call(&a, alias...); !errors.Is(err, zerocall.ErrOverlap) {
			t.Errorf("buffer %s given the slice of %s: err = %v, want ErrOverlap", bi, bj, err)
		}
		if !slices.Equal(funcs.Bytes(alias[j]), funcs.Bytes(before[j])) {
			t.Errorf("buffer %s given the slice of %s: the refused call changed it", bi, bj)
		}
		if err := s.guarded(alias); err != nil {
			t.Errorf("buffer %s given the slice of %s: %v", bi, bj, err)
		}
	}
	if n == 0 {
		t.Skip("no buffer it writes has the type of one it reads")
	}
	if err := s.check(c, size, in); err != nil {
		t.Errorf("a good call after the refused ones: %v", err)
	}
}

// testAlias checks, for a kernel that may update in place (no NoAlias),
// each buffer it writes given the very same slice as an input of its
// type and length, as the hosts allow: the call must compute what the
// reference does on slices of their own, the written one holding the
// input's elements before it.
func (s Spec) testAlias(t *testing.T, c caller, size int) {
	if size < 0 {
		t.Skipf("no size up to 37 has lengths within the capacity, %d", s.Capacity)
	}
	k := s.Func.Kernel()
	ls := s.lens(size)
	n := 0
	for i, j := range updates(k) {
		if ls[j] == 0 || ls[i] != ls[j] {
			continue
		}
		n++
		in := s.inputs(size, 0, 13, false)
		copy(funcs.Bytes(in[i]), funcs.Bytes(in[j]))
		a := s.args(size)
		want := Result{Bufs: clone(in)}
		want.Return = s.Ref(&a, want.Bufs)
		alias := clone(in)
		alias[i] = alias[j]
		r, err := c.Call(&a, alias...)
		if err == nil {
			err = s.guarded(alias)
		}
		if err == nil {
			// The input's slice is the output's: compared as the
			// output, and the input as left alone.
			got := Result{Bufs: slices.Clone(alias), Return: r}
			got.Bufs[j] = in[j]
			err = s.compare(&a, in, got, want)
		}
		if err != nil {
			t.Errorf("n=%d, buffer %s given the slice of %s, an update in place: %v (a kernel that cannot update in place must set NoAlias)",
				size, k.Buffers[i].Name, k.Buffers[j].Name, err)
		}
	}
	if n == 0 {
		t.Skip("no buffer it writes has the type and length of one it reads")
	}
}

// updates yields each update in place a call of k could make: a buffer i
// the kernel writes given the slice of a buffer j of the same type that
// it only reads. testNoAlias expects each refused, testAlias each run.
func updates(k *kernel.Kernel) iter.Seq2[int, int] {
	return func(yield func(i, j int) bool) {
		for i, bi := range k.Buffers {
			if !funcs.Writes(bi.Role) {
				continue
			}
			for j, bj := range k.Buffers {
				if j != i && bj.Role == kernel.In && bj.Type == bi.Type && !yield(i, j) {
					return
				}
			}
		}
	}
}

// testAllocs counts the allocations of calls of c, of p, on the largest
// size up to 100 whose lengths fit the capacity (of 100 if none does
// and p has no capacity), each of which must succeed and allocate
// nothing (but the pin-per-call baseline's Pinner, for more than
// pinnerInline slices).
func (s Spec) testAllocs(t *testing.T, c caller, p path) {
	if allocsInexact {
		t.Skip("allocation counts are not exact under the race detector or the address sanitizer")
	}
	n := s.allocSize()
	if n < 0 {
		if p.bounded {
			t.Skipf("no size up to 100 has lengths within the capacity, %d", s.Capacity)
		}
		n = 100
	}
	in := s.inputs(n, 0, 3, false)
	a := s.args(n)
	want := 0.0
	if p.pins && pinned(in) > pinnerInline {
		want = 1
	}
	var err error
	// The state is read around the measurement, not in it.
	if fpErr := checkFP(s.Func.Kernel().Name, p.name+", counting allocations", func() {
		allocs := testing.AllocsPerRun(100, func() { _, err = c.Call(&a, in...) })
		switch {
		case err != nil:
			t.Errorf("n=%d: the calls counted fail: %v", n, err)
		case allocs > want:
			t.Errorf("n=%d: %v allocations per call, want %v", n, allocs, want)
		}
	}); fpErr != nil {
		t.Error(fpErr)
	}
	if err := s.guarded(in); err != nil {
		t.Errorf("n=%d: %v", n, err)
	}
}

// allocSize returns the largest size up to 100 whose lengths all fit
// s.Capacity, or -1.
func (s Spec) allocSize() int { return s.fit(path{bounded: true}, 100) }

// fit returns n, or on a path bounded by the capacity the largest size
// up to n whose lengths all fit s.Capacity, or -1 if none does.
func (s Spec) fit(p path, n int) int {
	for ; p.bounded && n >= 0; n-- {
		if maxLen(s.lens(n)) <= s.Capacity {
			break
		}
	}
	return n
}

func (s Spec) testConcurrent(t *testing.T, p path) {
	c, err := p.new()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fc := &fpCaller{c: c, kernel: s.Func.Kernel().Name, path: p.name}
	// More goroutines than this machine runs at once, each of its own
	// sizes up to 100 and every tenth call at 1000, where a kernel's
	// static scratch is written long enough for another call to meet it.
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				n := 10 + (g*7+i)%91
				if i%10 == 9 {
					n = 1000
				}
				if err := s.check(fc, n, s.inputs(n, g%2, uint64(g*100+i), false)); err != nil {
					t.Errorf("goroutine %d call %d, n=%d off=%d: %v", g, i, n, g%2, err)
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
	if _, err := c.Call(&a, in...); !errors.Is(err, zerocall.ErrClosed) || !strings.Contains(err.Error(), "kernel "+s.Func.Kernel().Name) {
		t.Errorf("call after Close: err = %v, want ErrClosed naming the kernel", err)
	}
	if err := s.guarded(in); err != nil {
		t.Errorf("call after Close: %v", err)
	}
}

// copyCaller calls a handle on the caller's slices, which it copies in
// and out, with the elements of its regions past the call's (up to
// regionGuard bytes of them) set to guardByte, and fails a call that
// changed one (regionsGuarded).
type copyCaller struct {
	h *kernel.Handle
	k *kernel.Kernel
}

func (c *copyCaller) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	guardRegions(c.h, bufs)
	ret, err := c.h.Call(a, bufs...)
	if gerr := regionsGuarded(c.h, c.k, bufs); gerr != nil {
		return ret, gerr
	}
	return ret, err
}
func (c *copyCaller) Close() error { return c.h.Close() }

// regionGuard is the most bytes past a call's elements of a region that
// guardRegions sets to guardByte, when the call's are fewer; more, when
// the call's are more, up to the region's end: enough for any vector
// store, at a cost in proportion to the call's.
const regionGuard = 4096

// guardSpan returns the elements of region i of h past the call's n that
// guardRegions guards: up to max(regionGuard bytes, the call's bytes)
// of them, within the region.
func guardSpan(h *kernel.Handle, i, n int) []byte {
	r := h.Region(i)
	if n < 0 || n >= r.Len() {
		return nil
	}
	size := r.Type().Size()
	m := min(r.Len()-n, max(regionGuard/size, n))
	return funcs.Bytes(funcs.Sub(r, n, m))
}

// guardRegions sets the elements of h's regions past the lengths of
// bufs, the slices of a call, to guardByte (guardSpan).
func guardRegions(h *kernel.Handle, bufs []kernel.Slice) {
	for i, b := range bufs {
		setGuard(guardSpan(h, i, b.Len()), guardByte)
	}
}

// regionsGuarded returns an error if the call on bufs wrote past their
// lengths in the regions of h, a handle of k, which guardRegions set
// before it.
func regionsGuarded(h *kernel.Handle, k *kernel.Kernel, bufs []kernel.Slice) error {
	for i, b := range bufs {
		g := guardSpan(h, i, b.Len())
		if j := unguarded(g, guardByte); j >= 0 {
			r := h.Region(i)
			name := fmt.Sprintf("region %d", i)
			if i < len(k.Buffers) {
				name = "region " + k.Buffers[i].Name
			}
			return fmt.Errorf("the call of %d elements wrote past them in %s of the handle: element %d (byte %d past the last) changed, of a capacity of %d",
				b.Len(), name, b.Len()+j/r.Type().Size(), j, r.Len())
		}
	}
	return nil
}

// inPlaceCaller fills a handle's regions as a caller of the in-place
// path would (each with its slice's elements, those of a buffer the
// kernel only writes too), calls it on views of them cut to the slices'
// lengths, and copies every view back, whole, into the caller's slices,
// whatever the kernel may write: so that what it wrote to a buffer it
// only reads, or to a counted buffer past its count, shows there as it
// does on the other paths. A slice that does not fit is passed as it is,
// and one of another type as a view of its region of that type, so that
// the handle's own capacity and type checks are what fail. The elements
// of the regions past the views are guarded as copyCaller's are.
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
		r := c.h.Region(i)
		if s.Type() != r.Type() {
			// A view of the region from its start, as many of the
			// slice's elements as its bytes hold, of the slice's type:
			// the handle's own type check is what must refuse it.
			n := min(s.Len(), r.Len()*r.Type().Size()/s.Type().Size())
			c.views[i] = funcs.SliceAt(r.Pointer(), n, s.Type())
			continue
		}
		// Every buffer, read or not: the view holds what the caller's
		// slice does, as a one-shot call's slice would, so that what the
		// kernel leaves alone comes back as it was.
		if s.Len() > r.Len() {
			c.views[i] = s // refused for its length before its address is read
			continue
		}
		copy(funcs.Bytes(r), funcs.Bytes(s))
		c.views[i] = funcs.SliceAt(r.Pointer(), s.Len(), r.Type())
	}
	views := c.views[:len(bufs)]
	guardRegions(c.h, views)
	ret, err := c.h.Call(&c.args, views...)
	if gerr := regionsGuarded(c.h, c.k, views); gerr != nil {
		return ret, gerr
	}
	if err != nil {
		return ret, err
	}
	for i, s := range bufs {
		copy(funcs.Bytes(s), funcs.Bytes(c.views[i]))
	}
	return ret, nil
}
func (c *inPlaceCaller) Close() error { return c.h.Close() }

// pinned returns how many of bufs are not empty: what a call pinning
// each slice pins.
func pinned(bufs []kernel.Slice) int {
	n := 0
	for _, b := range bufs {
		if b.Len() > 0 {
			n++
		}
	}
	return n
}
