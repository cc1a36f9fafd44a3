//go:build cgo

package native_test

import (
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
	if kerneltest.Race {
		t.Skip("allocation counts are not exact under the race detector")
	}
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
