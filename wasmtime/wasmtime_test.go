package wasmtime

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
)

func TestMain(m *testing.M) { kerneltest.Main(m, expectedLeaks.Load) }

// expectedLeaks counts the instances tests drop on purpose to exercise the
// backstop.
var expectedLeaks atomic.Int64

// TestBackstopKeepsViews drops an instance without Close while holding
// views of its regions: the backstop must keep the store, whose memory
// Wasmtime owns and wasmtime-go would otherwise delete, so that the views
// still reach it.
func TestBackstopKeepsViews(t *testing.T) {
	kerneltest.Backstop(t, func() (*zerocall.Instance, error) { return New(zerocall.Config{Capacity: 1 << 16}) }, &expectedLeaks)
}

// TestLargest makes an instance of the largest size wasmabi.Sizes
// accepts, with as many taps: it must fit the module's memory.
func TestLargest(t *testing.T) {
	kerneltest.Largest(t, func() (*zerocall.Instance, error) {
		return New(zerocall.Config{Capacity: wasmabi.MaxCapacity, Taps: wasmabi.MaxCapacity})
	})
}

// TestKernels runs the shared table of cases on both modules, with small
// regions (long inputs stream) and large ones.
func TestKernels(t *testing.T) { testkernel.RunModuleKernels(t, New) }

// TestConfig checks that New refuses what the module ABI cannot hold, and
// that the zero Config gives the default sizes.
func TestConfig(t *testing.T) {
	testkernel.RunModuleConfig(t, New)
	in, err := New(zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if r := in.Regions(); len(r.X) != 1<<16 || len(r.Taps) != 256 {
		t.Errorf("zerocall.Config{}: capacity %d, taps %d", len(r.X), len(r.Taps))
	}
}

// TestTrap makes the module trap by calling an export past the checks of
// the Go side, as a bug there would: the error says the instance is broken
// and carries Wasmtime's message, every later call says so too, and Close
// still works.
func TestTrap(t *testing.T) {
	mod, err := compile(zerocall.SIMD128)
	if err != nil {
		t.Fatal(err)
	}
	e, b, err := start(mod, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	kerneltest.Trap(t, e.hosts(b), b.Regions, e.release(), func() (*zerocall.Instance, error) { return New(zerocall.Config{Capacity: 100}) })
}

// TestMalformedModule checks that a module without zerocall's exports, or
// with one of the wrong type, is refused with zerocall.ErrLoad.
func TestMalformedModule(t *testing.T) {
	// module returns the text of a module with a memory and a trapping
	// function for each export zerocall needs, with sum's type replaced and
	// the export skip left out.
	module := func(skip, sum string) string {
		var b strings.Builder
		b.WriteString(`(module (memory (export "memory") 1)`)
		exports := slices.Clone(wasmabi.ModuleExports)
		for _, name := range wasmabi.BuiltinNames {
			exports = append(exports, wasmabi.Export{Name: name, Params: wasmabi.KernelParams, Results: wasmabi.KernelResults})
		}
		for _, e := range exports {
			if e.Name == skip {
				continue
			}
			ty := ""
			for _, p := range e.Params {
				ty += " (param " + p.String() + ")"
			}
			for _, r := range e.Results {
				ty += " (result " + r.String() + ")"
			}
			if e.Name == "sum" && sum != "" {
				ty = sum
			}
			fmt.Fprintf(&b, ` (func (export %q)%s unreachable)`, e.Name, ty)
		}
		return b.String() + ")"
	}
	for name, tc := range map[string]struct{ wat, want string }{
		"no exports":      {`(module (memory (export "memory") 1))`, `no exported function "zc_abi_version"`},
		"no matmul":       {module("matmul", ""), `no exported function "matmul"`},
		"sum returns i32": {module("", " (param i32) (result i32)"), `export "sum" has type`},
		"no memory":       {strings.Replace(module("", ""), `(memory (export "memory") 1)`, "", 1), `no memory named "memory"`},
	} {
		t.Run(name, func(t *testing.T) {
			bin, err := wt.Wat2Wasm(tc.wat)
			if err != nil {
				t.Fatal(err)
			}
			mod, err := wt.NewModule(engineOf(), bin)
			if err != nil {
				t.Fatal(err)
			}
			lookup, memory, imports := describe(mod)
			if err := wasmabi.CheckBuiltins(lookup, memory != nil, imports); !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want zerocall.ErrLoad saying %s", err, tc.want)
			}
		})
	}
	// The well-formed text passes the check.
	bin, err := wt.Wat2Wasm(module("", ""))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := wt.NewModule(engineOf(), bin)
	if err != nil {
		t.Fatal(err)
	}
	if lookup, memory, imports := describe(mod); wasmabi.CheckBuiltins(lookup, memory != nil, imports) != nil {
		t.Errorf("the full module: %v", wasmabi.CheckBuiltins(lookup, memory != nil, imports))
	}
}

func TestNoop(t *testing.T) {
	for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		call, done, err := noop(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := call(); err != nil {
			t.Errorf("%v: %v", m, err)
		}
		if !raceEnabled {
			if a := testing.AllocsPerRun(100, func() { _ = call() }); a != 0 {
				t.Errorf("%v: %v allocations per call", m, a)
			}
		}
		if err := done(); err != nil {
			t.Errorf("%v: close: %v", m, err)
		}
		if err := call(); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("%v: call after close: err = %v, want ErrClosed", m, err)
		}
	}
	if _, _, err := noop(7); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("noop(7): err = %v, want ErrUnsupported", err)
	}
}
