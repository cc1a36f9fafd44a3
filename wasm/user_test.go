package wasm_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/zctest"
)

// saxpy loads the test kernel's module and returns its Func.
func saxpy(t testing.TB, bin []byte, cfg zerocall.Config) *wasm.Func {
	t.Helper()
	lib, err := wasm.Load(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lib.Close() })
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestUserModule runs a kernel of the user's kind, compiled from the same
// C as the native tests into a module of the zerocall module ABI, through
// the test kit: every size, misaligned sub-slices, special values, type
// checks, zero allocations, Close.
func TestUserModule(t *testing.T) {
	zctest.Run(t, testkernel.Spec(saxpy(t, testkernel.Module(), zerocall.Config{})))
}

// call makes one good call of the test kernel on h, in place.
func call(h *kernel.Handle, n int) (kernel.Return, error) {
	a := kernel.Args{Len: [8]int{n, n, n}, F: [kernel.MaxScalars]float64{2}}
	return h.Call(&a, testkernel.Views(h, &a)...)
}

// load loads a module on wazero for the hostile-module tests.
func load(bin []byte, cfg zerocall.Config) (testkernel.Instances, func(), error) {
	lib, err := wasm.Load(bin, cfg)
	if err != nil {
		return testkernel.Instances{}, nil, err
	}
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		lib.Close()
		return testkernel.Instances{}, nil, err
	}
	return testkernel.Instances{
		Owned: func(c int) (*kernel.Handle, error) { return f.Handle(zerocall.Module, c, c, c) },
		Batch: func(c int) (*kernel.Batch, error) { return f.Batch(zerocall.Module, 4, c, c, c) },
	}, func() { lib.Close() }, nil
}

// TestHostileModules runs the hostile modules of testkernel on wazero.
func TestHostileModules(t *testing.T) { testkernel.RunHostile(t, load) }

// TestUserModuleTimeLimit runs good calls under a time limit: they
// succeed. TestTimeLimitAllocs counts what they allocate.
func TestUserModuleTimeLimit(t *testing.T) {
	h, err := saxpy(t, testkernel.Module(), zerocall.Config{TimeLimit: time.Second}).Handle(zerocall.Module, 100, 100, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	x := kernel.Elems[float32](h.Region(0))
	y := kernel.Elems[float32](h.Region(1))
	out := kernel.Elems[float32](h.Region(2))
	for i := range 100 {
		x[i], y[i] = float32(i), 0.5
	}
	for range 1000 {
		if r, err := call(h, 100); err != nil || r.N != 100 || out[99] != 198.5 {
			t.Fatalf("call under a time limit: %v, %v, out[99] = %v", r, err, out[99])
		}
	}
}

// TestUserModuleBackstop drops an instance without Close: the backstop
// closes the module, and views keep its memory alive.
func TestUserModuleBackstop(t *testing.T) {
	f := saxpy(t, testkernel.Module(), zerocall.Config{TimeLimit: time.Second})
	h, err := f.Handle(zerocall.Module, 1<<16, 1<<16, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	x := kernel.Elems[float32](h.Region(0))
	before := zerocall.Leaked()
	wasm.ExpectedLeaks.Add(1)
	h = nil
	deadline := time.Now().Add(5 * time.Second)
	for zerocall.Leaked() == before && time.Now().Before(deadline) {
		runtime.GC()
	}
	if zerocall.Leaked() == before {
		t.Fatal("the backstop did not run")
	}
	for i := range x {
		x[i] = float32(i)
	}
	if x[len(x)-1] != float32(len(x)-1) {
		t.Fatal("view of a dropped instance")
	}
}

// TestLibraryClose closes a library with an instance open: the instance
// keeps working, and Func and Func.Handle say the library is closed.
func TestLibraryClose(t *testing.T) {
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.Handle(zerocall.Module, 8, 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := lib.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lib.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := lib.Func(testkernel.Saxpy, testkernel.Export); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Func after Close: err = %v, want ErrClosed", err)
	}
	if _, err := f.Handle(zerocall.Module, 8, 8, 8); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Func.Handle after Close: err = %v, want ErrClosed", err)
	}
	if r, err := call(h, 8); err != nil || r.N != 8 {
		t.Errorf("an instance made before Close: %v, %v", r, err)
	}
}

// TestSizes asks for instances and batches whose sizes overflow: each
// fails with ErrArgument, as on every host, naming the kernel, the buffer
// and the count, before the module is instantiated.
func TestSizes(t *testing.T) {
	testkernel.RunSizes(t, func(t *testing.T, k *kernel.Kernel) testkernel.Sized {
		bin, export := embed.Bytes(zerocall.SIMD128), k.Name
		if k == testkernel.Saxpy {
			bin, export = testkernel.Module(), testkernel.Export
		}
		lib, err := wasm.Load(bin, zerocall.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = lib.Close() })
		f, err := lib.Func(k, export)
		if err != nil {
			t.Fatal(err)
		}
		return testkernel.Sized{
			Owned: func(caps ...int) (*kernel.Handle, error) { return f.Handle(zerocall.Module, caps...) },
			Batch: func(items int, caps ...int) (*kernel.Batch, error) { return f.Batch(zerocall.Module, items, caps...) },
		}
	})
}

// TestMessages checks that the errors of an instance's calls name the
// kernel, the buffer, the types and the numbers.
func TestMessages(t *testing.T) {
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	testkernel.RunMessages(t, testkernel.Callers{
		Owned: func(k *kernel.Kernel, c int) (*kernel.Handle, error) {
			f, err := lib.Func(k, testkernel.Export)
			if err != nil {
				return nil, err
			}
			return f.Handle(zerocall.Module, c, c, c)
		},
	})
}
