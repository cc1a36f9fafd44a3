//go:build cgo

package native_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// caller is how a user's code may hold any path of a kernel.
type caller interface {
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

// TestInterfaceAllocs holds the rule of package kernel's doc: called
// through an interface, with its Args and its []Slice made once and the
// slices passed whole, a Func's Call, a Handle's Call and a Batch's Add
// and Run allocate nothing.
func TestInterfaceAllocs(t *testing.T) {
	kerneltest.NeedExactAllocs(t)
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.Handle(zerocall.Pinned, 64, 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	b, err := f.Batch(zerocall.COwned, 4, 64, 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	x, y, out := make([]float32, 16), make([]float32, 16), make([]float32, 16)
	a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
	bufs := []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)}
	views := testkernel.Views(h, &kernel.Args{Len: [8]int{16, 16, 16}})
	in := testkernel.At(b.Handle, 0, &kernel.Args{Len: [8]int{16, 16, 16}})
	type adder interface {
		Add(a *kernel.Args, bufs ...kernel.Slice) (int, error)
		Run() (int, error)
	}
	// Held where the compiler cannot see their types, as a user's code
	// holds them, so that no call is devirtualized: passed one by one
	// (Call(&a, x, y, out)), the slices would cost an allocation.
	paths := []caller{f, h}
	batch := []adder{b}[0]
	for name, call := range map[string]func() error{
		"Func.Call":        func() error { _, err := paths[0].Call(&a, bufs...); return err },
		"Handle.Call":      func() error { _, err := paths[1].Call(&a, bufs...); return err },
		"Handle.Call view": func() error { _, err := paths[1].Call(&a, views...); return err },
		"Batch.Add+Run": func() error {
			if _, err := batch.Add(&a, in...); err != nil {
				return err
			}
			_, err := batch.Run()
			return err
		},
	} {
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = call() }); n != 0 {
			t.Errorf("%s through an interface: %v allocations per call, want 0", name, n)
		}
	}
}

// TestNilArgs calls every path of a kernel with scalars with a nil
// *kernel.Args, which stands for scalars that are all zero: saxpy with
// a = 0 gives out = y, on the caller's slices, in place and copying, and
// queued in a batch.
func TestNilArgs(t *testing.T) {
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	x, y := []float32{1, 2, 3}, []float32{4, 5, 6}
	check := func(path string, r kernel.Return, err error, out []float32) {
		t.Helper()
		if err != nil || r.N != 3 || out[0] != 4 || out[1] != 5 || out[2] != 6 {
			t.Errorf("%s with nil Args: %v, %v, out = %v; want 3 outputs, out = y", path, r, err, out)
		}
	}
	out := make([]float32, 3)
	r, err := f.Call(nil, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
	check("Func.Call", r, err, out)

	h, err := f.Handle(zerocall.Pinned, 8, 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	out = make([]float32, 3)
	r, err = h.Call(nil, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
	check("Handle.Call, copying", r, err, out)
	hx, hy, ho := kernel.Elems[float32](h.Region(0))[:3], kernel.Elems[float32](h.Region(1))[:3], kernel.Elems[float32](h.Region(2))[:3]
	copy(hx, x)
	copy(hy, y)
	r, err = h.Call(nil, kernel.SliceOf(hx), kernel.SliceOf(hy), kernel.SliceOf(ho))
	check("Handle.Call, in place", r, err, ho)

	b, err := f.Batch(zerocall.Pinned, 4, 8, 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bx, by, bo := kernel.Elems[float32](b.Region(0)), kernel.Elems[float32](b.Region(1)), kernel.Elems[float32](b.Region(2))
	copy(bx, x)
	copy(by, y)
	copy(bx[3:], x)
	copy(by[3:], y)
	if _, err := b.Add(nil, kernel.SliceOf(bx[:3]), kernel.SliceOf(by[:3]), kernel.SliceOf(bo[:3])); err != nil {
		t.Fatalf("Batch.Add with nil Args: %v", err)
	}
	if _, err := b.AddSeries(1, nil, []int{3, 3, 3}, kernel.SliceOf(bx[3:6]), kernel.SliceOf(by[3:6]), kernel.SliceOf(bo[3:6])); err != nil {
		t.Fatalf("Batch.AddSeries with nil Args: %v", err)
	}
	if _, err := b.Run(); err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		r, err := b.Result(j)
		check("Batch item", r, err, bo[3*j:3*j+3])
	}
}

// TestVariantOfNil checks that a nil Func, which a failed constructor
// returns, runs no variant of its own, rather than panic.
func TestVariantOfNil(t *testing.T) {
	if v := zerocall.VariantOf((*native.Func)(nil)); v != zerocall.Auto {
		t.Errorf("VariantOf(nil *native.Func) = %v, want auto", v)
	}
}

// TestUnmade calls the methods of a nil Func, what a failed constructor
// returns, of a zero Func and of a zero Library: each says so with
// ErrArgument rather than panic, and the zero Library looks nothing up
// (its nil handle would have dlsym search the whole program).
func TestUnmade(t *testing.T) {
	for name, f := range map[string]*native.Func{"nil": nil, "zero": new(native.Func)} {
		kerneltest.Unmade(t, name, f, zerocall.Pinned)
	}
	if _, err := new(native.Library).Func(kernel.Sum, "malloc"); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Func of a zero Library: %v, want ErrArgument", err)
	}
}
