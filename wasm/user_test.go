package wasm_test

import (
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/zctest"
)

// saxpy loads the test kernel's module and returns its Func.
func saxpy(t testing.TB, cfg zerocall.Config) *wasm.Func {
	t.Helper()
	return testkernel.LoadFunc(t, wasm.Load, testkernel.Module(), cfg, testkernel.Saxpy, testkernel.Export)
}

// TestUserModule runs a kernel of the user's kind, compiled from the same
// C as the native tests into a module of the zerocall module ABI, through
// the test kit: every size, misaligned sub-slices, special values, type
// checks, zero allocations, Close.
func TestUserModule(t *testing.T) {
	zctest.Run(t, testkernel.Spec(saxpy(t, zerocall.Config{})))
}

// call makes one good call of the test kernel on h, in place.
func call(h *kernel.Handle, n int) (kernel.Return, error) {
	a := kernel.Args{Len: [8]int{n, n, n}, F: [kernel.MaxScalars]float64{2}}
	return h.Call(&a, testkernel.Views(h, &a)...)
}

// load loads a module on wazero for the hostile-module tests.
var load = testkernel.Loader(wasm.Load)

// TestHostileModules runs the hostile modules of testkernel on wazero.
func TestHostileModules(t *testing.T) { testkernel.RunHostile(t, load) }

// TestUserModuleTimeLimit runs good calls under a time limit: they
// succeed. TestTimeLimitAllocs counts what they allocate.
func TestUserModuleTimeLimit(t *testing.T) {
	h, err := saxpy(t, zerocall.Config{TimeLimit: time.Second}).Handle(zerocall.Module, 100, 100, 100)
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
	testkernel.RunBackstop(t, saxpy(t, zerocall.Config{TimeLimit: time.Second}), wasm.ExpectedLeaks)
}

// TestLibraryClose closes a library with an instance open: the instance
// keeps working, and Func and Func.Handle say the library is closed.
func TestLibraryClose(t *testing.T) { testkernel.RunLibraryClose(t, wasm.Load, zerocall.Config{}) }

// TestSizes asks for instances and batches whose sizes overflow: each
// fails with ErrArgument, as on every host, naming the kernel, the buffer
// and the count, before the module is instantiated.
func TestSizes(t *testing.T) { testkernel.RunModuleSizes(t, wasm.Load) }

// TestMessages checks that the errors of an instance's calls name the
// kernel, the buffer, the types and the numbers.
func TestMessages(t *testing.T) { testkernel.RunModuleMessages(t, wasm.Load) }
