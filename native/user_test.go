//go:build cgo

package native_test

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/internal/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// sharedLib builds the test kernel into a shared library, once.
var sharedLib = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "zerocall-test")
	if err != nil {
		return "", err
	}
	return testkernel.BuildShared(dir)
})

// TestUserKernel runs a kernel the project does not know, from its cgo
// function pointer and from a shared library loaded with dlopen, through
// every path of the test kit.
func TestUserKernel(t *testing.T) {
	t.Run("cgo", func(t *testing.T) {
		f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
		if err != nil {
			t.Fatal(err)
		}
		zctest.Run(t, testkernel.Spec(f))
	})
	t.Run("dlopen", func(t *testing.T) {
		path, err := sharedLib()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
		lib, err := native.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
		if err != nil {
			t.Fatal(err)
		}
		zctest.Run(t, testkernel.Spec(f))
	})
}

// TestUserKernelErrors gives each way of binding and calling a user
// kernel a bad input: each fails with its sentinel error, and nothing
// crashes.
func TestUserKernelErrors(t *testing.T) {
	if _, err := native.NewFunc(testkernel.Saxpy, nil); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("nil function: err = %v, want ErrArgument", err)
	}
	if _, err := native.NewFunc(&kernel.Kernel{Name: "bad", Buffers: []kernel.Buffer{{Name: "x", Type: 99, Role: kernel.In}}}, ckernel.Pointer()); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("a buffer of unknown type: err = %v, want ErrKernel", err)
	}
	if _, err := native.Open(filepath.Join(t.TempDir(), "missing.so")); !errors.Is(err, native.ErrLoad) {
		t.Errorf("a missing library: err = %v, want ErrLoad", err)
	}
	path, err := sharedLib()
	if err != nil {
		t.Fatal(err)
	}
	lib, err := native.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Func(testkernel.Saxpy, "no_such_kernel"); !errors.Is(err, native.ErrLoad) {
		t.Errorf("a missing symbol: err = %v, want ErrLoad", err)
	}
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := native.NewOwned(f, native.Pinned, 10, 10); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("two capacities for three buffers: err = %v, want ErrKernel", err)
	}
	if _, err := native.NewOwned(f, native.COwned, 10, 0, 10); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("a capacity of 0: err = %v, want ErrArgument", err)
	}
	if _, err := native.NewOwned(f, native.Pinned, 1<<37, 1, 1); !errors.Is(err, zerocall.ErrNoMemory) {
		t.Errorf("512 GiB of regions: err = %v, want ErrNoMemory", err)
	}
	h, err := native.NewOwned(f, native.Pinned, 16, 16, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := native.View[float64](h, 0); !errors.Is(err, zerocall.ErrType) {
		t.Errorf("a float64 view of a float32 region: err = %v, want ErrType", err)
	}
	if _, err := native.View[float32](h, 3); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("a view of buffer 3 of 3: err = %v, want ErrArgument", err)
	}
	a := kernel.Args{Len: [kernel.MaxBuffers]int{16, 16, 16}}
	if _, err := h.Call(&a); !errors.Is(err, zerocall.ErrCapacity) {
		t.Errorf("out past its region: err = %v, want ErrCapacity", err)
	}
	a.Len = [kernel.MaxBuffers]int{8, 7, 8}
	if _, err := h.Call(&a); !errors.Is(err, zerocall.ErrLength) {
		t.Errorf("lengths the kernel's Check refuses: err = %v, want ErrLength", err)
	}
	a.Len = [kernel.MaxBuffers]int{8, 8, 8}
	if r, err := h.Call(&a); err != nil || r.N != 8 {
		t.Errorf("a good call after the bad ones: %v, %v", r, err)
	}
	x, _ := native.View[float32](h, 0)
	if _, err := h.Copy(&a, kernel.SliceOf(x[:4]), kernel.SliceOf(make([]float32, 4)), kernel.SliceOf(make([]float32, 4))); !errors.Is(err, zerocall.ErrOverlap) {
		t.Errorf("Copy of the handle's own region: err = %v, want ErrOverlap", err)
	}
	in := make([]float32, 8)
	if _, err := f.Straight(&a, kernel.SliceOf(in), kernel.SliceOf(in), kernel.SliceOf(in[1:])); !errors.Is(err, zerocall.ErrOverlap) {
		t.Errorf("out overlapping an input: err = %v, want ErrOverlap", err)
	}
	h.Close()
	if _, err := h.Call(&a); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Call after Close: err = %v, want ErrClosed", err)
	}
	if _, err := native.View[float32](h, 0); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("View after Close: err = %v, want ErrClosed", err)
	}
}
