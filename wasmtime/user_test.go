package wasmtime

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// saxpy loads the test kernel's module and returns its Func.
func saxpy(t testing.TB, cfg zerocall.Config) *Func {
	t.Helper()
	lib, err := Load(testkernel.Module(), cfg)
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

// TestUserModule runs the test kernel's module on Wasmtime through the
// test kit, without and with a time limit (epoch interruption, which
// costs no allocation).
func TestUserModule(t *testing.T) {
	for _, cfg := range []zerocall.Config{{}, {TimeLimit: time.Second}} {
		s := testkernel.Spec(saxpy(t, cfg))
		name := "no-limit"
		if cfg.TimeLimit > 0 {
			name = "time-limit"
		}
		t.Run(name, func(t *testing.T) { zctest.Run(t, s) })
	}
}

// load loads a module on Wasmtime for the hostile-module tests.
func load(bin []byte, cfg zerocall.Config) (testkernel.Instances, func(), error) {
	lib, err := Load(bin, cfg)
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

// TestHostileModules runs the hostile modules of testkernel on Wasmtime.
func TestHostileModules(t *testing.T) { testkernel.RunHostile(t, load) }

// TestUserModuleBackstop drops an instance without Close: the backstop
// frees the shim's part and keeps the store, so views stay usable.
func TestUserModuleBackstop(t *testing.T) {
	f := saxpy(t, zerocall.Config{})
	h, err := f.Handle(zerocall.Module, 1<<16, 1<<16, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	x := kernel.Elems[float32](h.Region(0))
	before := zerocall.Leaked()
	expectedLeaks.Add(1)
	h = nil
	for i := 0; i < 500 && zerocall.Leaked() == before; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
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
	lib, err := Load(testkernel.Module(), zerocall.Config{TimeLimit: time.Second})
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
	a := kernel.Args{Len: [8]int{8, 8, 8}, F: [kernel.MaxScalars]float64{2}}
	if r, err := h.Call(&a, testkernel.Views(h, &a)...); err != nil || r.N != 8 {
		t.Errorf("an instance made before Close: %v, %v", r, err)
	}
}
