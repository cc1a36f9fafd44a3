package testkernel

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/zctest"
)

// The tests every host runs alike, given what differs: how it loads a
// module or makes a kernel's code. The wasm runtimes (wazero, package
// wasm, and Wasmtime, module wasmtime) share the most, through the
// generic helpers below, which take wasm.Load on a runtime.

// Func is a kernel's code on a host that makes handles and batches of it:
// *native.Func or *wasm.Func.
type Func interface {
	Kernel() *kernel.Kernel
	Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error)
	Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error)
}

// Lib is a module loaded on a wasm runtime: a *wasm.Library, whose Funcs
// are F.
type Lib[F Func] interface {
	Func(k *kernel.Kernel, export string) (F, error)
	Close() error
}

// Open loads the module bin through load (wasm.Load on a runtime),
// failing t if it cannot, and closes it when t ends.
func Open[L Lib[F], F Func](t testing.TB, load func([]byte, zerocall.Config) (L, error), bin []byte, cfg zerocall.Config) L {
	t.Helper()
	lib, err := load(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lib.Close() })
	return lib
}

// LoadFunc loads the module bin as Open does and returns its export as
// the code of k.
func LoadFunc[L Lib[F], F Func](t testing.TB, load func([]byte, zerocall.Config) (L, error), bin []byte, cfg zerocall.Config, k *kernel.Kernel, export string) F {
	t.Helper()
	f, err := Open(t, load, bin, cfg).Func(k, export)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// NoPanicsWasm runs kerneltest.NoPanics on the test kernel's module
// loaded through load (wasm.Load on a runtime), with no time limit and
// with one, then kerneltest.CallAll on the library and its Func once the
// library is closed.
func NoPanicsWasm[L Lib[F], F Func](t *testing.T, load func([]byte, zerocall.Config) (L, error)) {
	t.Helper()
	for _, cfg := range []zerocall.Config{{}, {TimeLimit: AmpleLimit}} {
		what := fmt.Sprintf("wasm with a time limit of %v", cfg.TimeLimit)
		lib := Open(t, load, Module(), cfg)
		f, err := lib.Func(Saxpy, Export)
		if err != nil {
			t.Fatal(err)
		}
		kerneltest.NoPanics(t, what, f, zerocall.Module)
		_ = lib.Close()
		kerneltest.CallAll(t, what+", library closed", lib)
		kerneltest.CallAll(t, what+", library closed", f)
	}
}

// ModuleOf returns the module that holds k's code on the wasm hosts, and
// its export: the test kernel's module, or the SIMD module of the
// built-ins.
func ModuleOf(k *kernel.Kernel) (bin []byte, export string) {
	if k == Saxpy || k == Unchecked {
		return Module(), Export
	}
	return embed.Bytes(zerocall.SIMD128), k.Name
}

// Loader returns the Load of the hostile-module tests (RunHostile,
// RunHostileBatch, FuzzLoad) for a wasm host's load.
func Loader[L Lib[F], F Func](load func([]byte, zerocall.Config) (L, error)) Load {
	return func(bin []byte, cfg zerocall.Config) (Instances, func(), error) {
		lib, err := load(bin, cfg)
		if err != nil {
			return Instances{}, nil, err
		}
		f, err := lib.Func(Saxpy, Export)
		if err != nil {
			lib.Close()
			return Instances{}, nil, err
		}
		return Instances{
			Owned: func(c int) (*kernel.Handle, error) { return f.Handle(zerocall.Module, c, c, c) },
			Batch: func(c int) (*kernel.Batch, error) { return f.Batch(zerocall.Module, 4, c, c, c) },
		}, func() { lib.Close() }, nil
	}
}

// SizedOf returns the Sized of RunSizes for f's handles and batches in
// memory of kind mem.
func SizedOf(f Func, mem zerocall.Memory) Sized {
	return Sized{
		Owned: func(caps ...int) (*kernel.Handle, error) { return f.Handle(mem, caps...) },
		Batch: func(items int, caps ...int) (*kernel.Batch, error) { return f.Batch(mem, items, caps...) },
	}
}

// RunModuleSizes is RunSizes on a wasm host, each kernel loaded through
// load from its module (ModuleOf).
func RunModuleSizes[L Lib[F], F Func](t *testing.T, load func([]byte, zerocall.Config) (L, error)) {
	t.Helper()
	RunSizes(t, func(t *testing.T, k *kernel.Kernel) Sized {
		bin, export := ModuleOf(k)
		return SizedOf(LoadFunc(t, load, bin, zerocall.Config{}, k, export), zerocall.Module)
	})
}

// RunModuleMessages is RunMessages on a wasm host: handles of the test
// kernel's module, loaded through load.
func RunModuleMessages[L Lib[F], F Func](t *testing.T, load func([]byte, zerocall.Config) (L, error)) {
	t.Helper()
	lib := Open(t, load, Module(), zerocall.Config{})
	newFunc := func(k *kernel.Kernel) (F, error) { return lib.Func(k, Export) }
	RunMessages(t, Callers{Owned: OwnedOf(newFunc, zerocall.Module)})
	// An export the module has not: the error names the kernel too.
	if _, err := lib.Func(Saxpy, "nope"); !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), `kernel test-saxpy: no exported function "nope"`) {
		t.Errorf("Func of an export the module has not: %v", err)
	}
}

// RunBuiltins runs each of Builtins through the test kit, as any user
// kernel, in a subtest <prefix>/<kernel>, its code from funcOf.
func RunBuiltins(t *testing.T, prefix string, funcOf func(k *kernel.Kernel) (zctest.Func, error)) {
	t.Helper()
	for _, k := range Builtins {
		t.Run(prefix+"/"+k.Name, func(t *testing.T) {
			f, err := funcOf(k)
			if err != nil {
				t.Fatal(err)
			}
			s := BuiltinSpecs[k]
			s.Func = f
			zctest.Run(t, s)
		})
	}
}

// SaxpyHandle loads the test kernel's module through load and returns
// it, its Func of Saxpy, and a handle of that Func in the module's
// memory, of 8 elements a buffer; the caller closes them.
func SaxpyHandle[L Lib[F], F Func](t testing.TB, load func([]byte, zerocall.Config) (L, error), cfg zerocall.Config) (L, F, *kernel.Handle) {
	t.Helper()
	lib, err := load(Module(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := lib.Func(Saxpy, Export)
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.Handle(zerocall.Module, 8, 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	return lib, f, h
}

// RunLibraryClose closes a library of the test kernel's module with an
// instance open, through load and with cfg: the instance keeps working,
// a second Close is harmless, and Func and Func.Handle say the library is
// closed.
func RunLibraryClose[L Lib[F], F Func](t *testing.T, load func([]byte, zerocall.Config) (L, error), cfg zerocall.Config) {
	t.Helper()
	lib, f, h := SaxpyHandle(t, load, cfg)
	defer h.Close()
	if err := lib.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lib.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	closed := func(err error) bool { // naming the kernel
		return errors.Is(err, zerocall.ErrClosed) && strings.Contains(err.Error(), "kernel "+Saxpy.Name+": its Library was closed")
	}
	if _, err := lib.Func(Saxpy, Export); !closed(err) {
		t.Errorf("Func after Close: err = %v, want ErrClosed naming the kernel", err)
	}
	if _, err := f.Handle(zerocall.Module, 8, 8, 8); !closed(err) {
		t.Errorf("Func.Handle after Close: err = %v, want ErrClosed naming the kernel", err)
	}
	if _, err := f.Batch(zerocall.Module, 2, 8, 8, 8); !closed(err) {
		t.Errorf("Func.Batch after Close: err = %v, want ErrClosed naming the kernel", err)
	}
	if r, err := call(h, 8); err != nil || r.N != 8 {
		t.Errorf("an instance made before Close: %v, %v", r, err)
	}
}

// RunBackstop drops a handle of f's, in a module's memory, without Close
// while holding a view of its region x: the backstop must run, and count
// itself in leaks (the host's count of the instances tests drop on
// purpose), and the view must still reach the memory.
func RunBackstop(t *testing.T, f Func, leaks *atomic.Int64) {
	t.Helper()
	h, err := f.Handle(zerocall.Module, 1<<16, 1<<16, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	x := f32(h.Region(0))
	before := zerocall.Leaked()
	leaks.Add(1)
	h = nil
	// The backstop runs on a finalizer's goroutine, some GCs later.
	if !kerneltest.AfterGC(func() bool { return zerocall.Leaked() != before }) {
		t.Fatal("the backstop did not run")
	}
	for i := range x {
		x[i] = float32(i)
	}
	if x[len(x)-1] != float32(len(x)-1) {
		t.Fatal("view of a dropped instance")
	}
}

// RunModuleKernels runs the shared table of cases (kerneltest.Run) on
// instances of both built-in modules made by newInstance (wasm.New on a
// runtime), with small regions (long inputs stream) and large ones.
func RunModuleKernels(t *testing.T, newInstance func(zerocall.Config) (*zerocall.Instance, error)) {
	for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		for _, cfg := range []zerocall.Config{{Capacity: 1000, Taps: 20}, {Capacity: 1 << 17}} {
			cfg.Variant = m
			_, taps, _ := backend.Sizes(cfg, wasmabi.MaxCapacity)
			t.Run(fmt.Sprintf("%v/cap=%d", m, cfg.Capacity), func(t *testing.T) {
				kerneltest.Run(t, kerneltest.Target{
					New:      func() (measure.Kernels, error) { return newInstance(cfg) },
					Capacity: cfg.Capacity,
					Taps:     taps,
				})
			})
		}
	}
}

// RunModuleConfig checks that newInstance (wasm.New on a runtime)
// refuses sizes the module ABI cannot hold with ErrArgument, and a
// variant it does not have with ErrUnsupported.
func RunModuleConfig(t *testing.T, newInstance func(zerocall.Config) (*zerocall.Instance, error)) {
	t.Helper()
	for _, cfg := range []zerocall.Config{
		{Capacity: -1},
		{Taps: -1},
		{Capacity: 10, Taps: 11},
		{Capacity: wasmabi.MaxCapacity + 1},
	} {
		if _, err := newInstance(cfg); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("New(%+v): err = %v, want ErrArgument", cfg, err)
		}
	}
	if _, err := newInstance(zerocall.Config{Variant: 7}); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("New(Variant 7): err = %v, want ErrUnsupported", err)
	}
}
