package wasm_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/zctest"
)

// saxpy loads the test kernel's module and returns its Func.
func saxpy(t testing.TB, bin []byte, cfg wasm.LoadConfig) *wasm.Func {
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
	zctest.Run(t, testkernel.Spec(saxpy(t, testkernel.Module(), wasm.LoadConfig{})))
}

// call makes one good call of the test kernel on h, in place.
func call(h *wasm.Owned, n int) (kernel.Return, error) {
	a := kernel.Args{Len: [kernel.MaxBuffers]int{n, n, n}, F: [kernel.MaxScalars]float64{2}}
	return h.Call(&a)
}

// TestHostileModules loads modules that break the ABI one way each: every
// one ends in a clear error naming what is wrong, at load, at
// instantiation or at the call, and a good instance made before keeps
// working through all of it.
func TestHostileModules(t *testing.T) {
	good, err := wasm.NewOwned(saxpy(t, testkernel.Module(), wasm.LoadConfig{}), 64, 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	x, _ := wasm.View[float32](good, 0)
	y, _ := wasm.View[float32](good, 1)
	out, _ := wasm.View[float32](good, 2)
	checkGood := func(t *testing.T) {
		t.Helper()
		for i := range 64 {
			x[i], y[i] = float32(i), 1
		}
		r, err := call(good, 64)
		if err != nil || r.N != 64 || out[63] != 2*63+1 {
			t.Fatalf("the good instance after a hostile one: %v, %v, out[63] = %v", r, err, out[63])
		}
	}
	start, err := testkernel.WithStart(testkernel.Hostile("traps"), "zc_test_boom")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		bin     []byte
		cfg     wasm.LoadConfig
		caps    int
		at      string // "load", "func", "new" or "call": where it fails
		is      error
		message string
	}{
		{"imports", testkernel.Hostile("imports"), wasm.LoadConfig{}, 64, "load", wasm.ErrModule, "imports env.host_log"},
		{"version", testkernel.Hostile("version"), wasm.LoadConfig{}, 64, "new", wasm.ErrModule, "zc_abi_version is 2"},
		{"signature", testkernel.Hostile("signature"), wasm.LoadConfig{}, 64, "func", wasm.ErrModule, `"zc_test_saxpy" has type [i32] -> [i32]`},
		{"outside", testkernel.Hostile("outside"), wasm.LoadConfig{}, 64, "new", wasm.ErrModule, "past the end of memory"},
		{"overlap", testkernel.Hostile("overlap"), wasm.LoadConfig{}, 64, "new", wasm.ErrModule, "overlap the frame"},
		{"misaligned", testkernel.Hostile("misaligned"), wasm.LoadConfig{}, 64, "new", wasm.ErrModule, "not aligned to 64"},
		{"small", testkernel.Hostile("small"), wasm.LoadConfig{}, 1 << 20, "new", zerocall.ErrNoMemory, "at most 131072"},
		{"start", start, wasm.LoadConfig{}, 64, "new", wasm.ErrModule, "unreachable"},
		{"grows", testkernel.Hostile("grows"), wasm.LoadConfig{}, 64, "call", zerocall.ErrBroken, "grew the module's memory"},
		{"count", testkernel.Hostile("count"), wasm.LoadConfig{}, 64, "call", zerocall.ErrBroken, "reported 1064 elements"},
		{"traps", testkernel.Hostile("traps"), wasm.LoadConfig{}, 64, "call", zerocall.ErrBroken, "unreachable"},
		{"loops", testkernel.Hostile("loops"), wasm.LoadConfig{TimeLimit: 50 * time.Millisecond}, 64, "call", zerocall.ErrBroken, "time limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer checkGood(t)
			err := func() error {
				lib, err := wasm.Load(c.bin, c.cfg)
				if err != nil || c.at == "load" {
					return err
				}
				defer lib.Close()
				f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
				if err != nil || c.at == "func" {
					return err
				}
				h, err := wasm.NewOwned(f, c.caps, c.caps, c.caps)
				if err != nil || c.at == "new" {
					return err
				}
				defer h.Close()
				if _, err := call(h, 64); err == nil {
					return nil
				}
				// Broken for good: the same error again, without a call.
				_, err = call(h, 1)
				if !errors.Is(h.Err(), zerocall.ErrBroken) {
					t.Errorf("Err() = %v after the failed call, want ErrBroken", h.Err())
				}
				return err
			}()
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("at %s: err = %v, want %v saying %q", c.at, err, c.is, c.message)
			}
		})
	}
}

// TestUserModuleTimeLimit runs good calls under a time limit: they
// succeed, and cost wazero's watch of each call (a goroutine and a
// channel, 3 allocations) but nothing more.
func TestUserModuleTimeLimit(t *testing.T) {
	h, err := wasm.NewOwned(saxpy(t, testkernel.Module(), wasm.LoadConfig{TimeLimit: time.Second}), 100, 100, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	x, _ := wasm.View[float32](h, 0)
	y, _ := wasm.View[float32](h, 1)
	out, _ := wasm.View[float32](h, 2)
	for i := range 100 {
		x[i], y[i] = float32(i), 0.5
	}
	for range 1000 {
		if r, err := call(h, 100); err != nil || r.N != 100 || out[99] != 198.5 {
			t.Fatalf("call under a time limit: %v, %v, out[99] = %v", r, err, out[99])
		}
	}
	if a := testing.AllocsPerRun(100, func() { _, _ = call(h, 100) }); a > 3 && !kerneltest.Race {
		t.Errorf("%v allocations per call under a time limit, want at most wazero's 3", a)
	}
}

// TestUserModuleBackstop drops an instance without Close: the backstop
// closes the module, and views keep its memory alive.
func TestUserModuleBackstop(t *testing.T) {
	f := saxpy(t, testkernel.Module(), wasm.LoadConfig{TimeLimit: time.Second})
	h, err := wasm.NewOwned(f, 1<<16, 1<<16, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := wasm.View[float32](h, 0)
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
