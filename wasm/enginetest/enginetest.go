// Package enginetest checks a WebAssembly runtime's implementation of
// package wasm/engine, as testing/fstest checks a file system: it runs
// package wasm's own tests on the runtime, through wasm.New and wasm.Load
// with the runtime as zerocall.Config.Engine, so that a runtime that passes them behaves as wazero does
// in everything zerocall promises. Package wasm runs it on wazero, and
// the wasmtime module on Wasmtime.
package enginetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasm/engine"
	"github.com/zerocall/zerocall/zctest"
)

// Run runs the tests on the runtime e, each a subtest:
//
//   - the built-in kernels' Instance (the shared table of cases on both
//     embedded modules, with inputs that stream through small regions and
//     without), its Config checks, its largest size (not with -short),
//     and its garbage-collection backstop, whose views must keep reaching
//     memory;
//   - the built-ins and a user's kernel as Funcs through the test kit
//     (zctest.Run), with and without a time limit: handles, batches,
//     every size, misaligned sub-slices, special values, zero
//     allocations;
//   - the hostile modules (traps, loops the time limit stops, memory
//     grown, reservations outside memory, start functions that trap or
//     spin, modules that declare far more than they hold), their batch
//     exports, a kernel's refusals in a batch, sizes that overflow, the
//     errors' messages, a closed Library, and a handle dropped without
//     Close;
//   - the runtime's own contract: a trap through Export fails the call,
//     a call allocates nothing, and a module with a shared memory is
//     refused or instantiated without a crash.
//
// The backstop tests drop instances on purpose: zerocall.Leaked counts
// them, and Run checks that it counts exactly those.
func Run(t *testing.T, e engine.Engine) {
	newOn := func(cfg zerocall.Config) (*zerocall.Instance, error) {
		cfg.Engine = e
		return wasm.New(cfg)
	}
	load := func(bin []byte, cfg zerocall.Config) (*wasm.Library, error) {
		cfg.Engine = e
		return wasm.Load(bin, cfg)
	}
	dropped, leaked := kerneltest.Dropped.Load(), zerocall.Leaked()

	t.Run("instance", func(t *testing.T) {
		t.Run("kernels", func(t *testing.T) { testkernel.RunModuleKernels(t, newOn) })
		t.Run("config", func(t *testing.T) { testkernel.RunModuleConfig(t, newOn) })
		t.Run("largest", func(t *testing.T) {
			kerneltest.Largest(t, func() (*zerocall.Instance, error) {
				return newOn(zerocall.Config{Capacity: wasmabi.MaxCapacity, Taps: wasmabi.MaxCapacity})
			})
		})
		t.Run("backstop", func(t *testing.T) {
			kerneltest.Backstop(t, func() (*zerocall.Instance, error) { return newOn(zerocall.Config{Capacity: 1 << 16}) }, &kerneltest.Dropped)
		})
	})

	t.Run("funcs", func(t *testing.T) {
		for _, v := range []zerocall.Variant{zerocall.Scalar, zerocall.SIMD128} {
			lib := testkernel.Open(t, load, embed.Bytes(v), zerocall.Config{})
			testkernel.RunBuiltins(t, v.String(), func(k *kernel.Kernel) (zctest.Func, error) { return lib.Func(k, k.Name) })
		}
		f := testkernel.LoadFunc(t, load, testkernel.Module(), zerocall.Config{}, testkernel.Saxpy, testkernel.Export)
		t.Run("user", func(t *testing.T) { zctest.Run(t, testkernel.Spec(f)) })
		t.Run("user-time-limit", func(t *testing.T) {
			f := testkernel.LoadFunc(t, load, testkernel.Module(), zerocall.Config{TimeLimit: testkernel.AmpleLimit}, testkernel.Saxpy, testkernel.Export)
			checkTimeLimit(t, f)
			zctest.Run(t, testkernel.Spec(f))
		})
	})

	t.Run("hostile", func(t *testing.T) {
		l := testkernel.Loader(load)
		testkernel.RunHostile(t, l)
		t.Run("slow-compile", func(t *testing.T) { testkernel.RunSlowCompile(t, l) })
		t.Run("limit-after-close", func(t *testing.T) { testkernel.RunLimitAfterClose(t, l) })
		testkernel.RunHostileBatch(t, l)
		f := testkernel.LoadFunc(t, load, testkernel.Module(), zerocall.Config{}, testkernel.Unchecked, testkernel.Export)
		testkernel.RunBatchErrors(t, f, zerocall.Module)
		noop := testkernel.LoadFunc(t, load, embed.Bytes(zerocall.SIMD128), zerocall.Config{}, kernel.Sum, "noop")
		if _, err := noop.Batch(zerocall.Module, 8, 16); !errors.Is(err, zerocall.ErrLoad) {
			t.Errorf("a batch of an export without noop_batch: %v, want zerocall.ErrLoad", err)
		}
		for _, c := range testkernel.MalformedModules() {
			if _, err := load(c.Bin, zerocall.Config{}); !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), c.Message) {
				t.Errorf("%s: err = %v, want zerocall.ErrLoad saying %q", c.Name, err, c.Message)
			}
		}
	})

	t.Run("sizes", func(t *testing.T) { testkernel.RunModuleSizes(t, load) })
	t.Run("messages", func(t *testing.T) { testkernel.RunModuleMessages(t, load) })
	t.Run("library-close", func(t *testing.T) {
		testkernel.RunLibraryClose(t, load, zerocall.Config{TimeLimit: testkernel.AmpleLimit})
	})
	t.Run("handle-backstop", func(t *testing.T) {
		f := testkernel.LoadFunc(t, load, testkernel.Module(), zerocall.Config{TimeLimit: testkernel.AmpleLimit}, testkernel.Saxpy, testkernel.Export)
		testkernel.RunBackstop(t, f, &kerneltest.Dropped)
	})

	t.Run("engine", func(t *testing.T) { runEngine(t, e) })

	t.Run("leaks", func(t *testing.T) {
		want := kerneltest.Dropped.Load() - dropped
		kerneltest.AfterGC(func() bool { return zerocall.Leaked()-leaked == want })
		if got := zerocall.Leaked() - leaked; got != want {
			t.Errorf("zerocall.Leaked grew by %d over the run, and the tests dropped %d instances", got, want)
		}
	})
}

// checkTimeLimit makes 1000 good calls of the test kernel's f, loaded
// under a time limit, in place: each must succeed with the right result,
// and allocate nothing (Wasmtime's epochs, wazero's checks written into
// the module), but under the race detector, which makes counts inexact.
func checkTimeLimit(t *testing.T, f *wasm.Func) {
	const n = 100
	h, err := f.Handle(zerocall.Module, n, n, n)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	x, y := kernel.Elems[float32](h.Region(0)), kernel.Elems[float32](h.Region(1))
	out := kernel.Elems[float32](h.Region(2))
	for i := range n {
		x[i], y[i] = float32(i), 0.5
	}
	a := kernel.Args{Len: [8]int{n, n, n}, F: [kernel.MaxScalars]float64{2}}
	views := testkernel.Views(h, &a)
	for range 1000 {
		if r, err := h.Call(&a, views...); err != nil || r.N != n || out[n-1] != 198.5 {
			t.Fatalf("a call under a time limit: %v, %v, out[%d] = %v", r, err, n-1, out[n-1])
		}
	}
	if kerneltest.Race {
		return
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _ = h.Call(&a, views...) }); allocs != 0 {
		t.Errorf("a call under a time limit allocates %v times, want 0", allocs)
	}
}

// runEngine checks e's own contract, below package wasm.
func runEngine(t *testing.T, e engine.Engine) {
	for _, v := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		m, err := e.Compile(embed.Bytes(v), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		in, err := m.Instantiate()
		if err != nil {
			t.Fatal(err)
		}
		noop, err := in.Export("noop", 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := noop(0, 0); err != nil {
			t.Errorf("%v: the empty export: %v", v, err)
		}
		if !kerneltest.InexactAllocs {
			if a := testing.AllocsPerRun(100, func() { _, _ = noop(0, 0) }); a != 0 {
				t.Errorf("%v: %v allocations per call", v, a)
			}
		}
		// A frame past the end of memory, as a bug on the Go side would
		// pass: the module traps, and the call says so.
		sum, err := in.Export("sum", 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sum(uint32(len(in.Memory())-4), 0); err == nil {
			t.Errorf("%v: sum of a frame past the end of memory: no error", v)
		}
		if err := in.Close(); err != nil {
			t.Errorf("%v: Close: %v", v, err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("%v: closing the module: %v", v, err)
		}
	}
	// A module with a shared memory, which Load refuses before any
	// runtime sees it: compiled and instantiated directly, it fails or
	// works, and nothing crashes.
	bin := testkernel.Tiny{Memories: []byte{testkernel.MemShared | testkernel.MemMax}}.Bytes()
	if m, err := e.Compile(bin, 0, 0); err == nil {
		if in, err := m.Instantiate(); err == nil {
			_ = in.Close()
		}
		_ = m.Close()
	}
}
