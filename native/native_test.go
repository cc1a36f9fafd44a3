//go:build cgo

package native_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

func TestMain(m *testing.M) {
	kerneltest.Main(m, func() int64 {
		removeSharedLib() // after the run, before the process exits
		return expectedLeaks.Load()
	})
}

// The capacities the stable-buffer patterns are tested at: small enough
// that long inputs stream through many chunks, and large enough that
// 100003 values fit at once.
var capacities = []zerocall.Config{{Capacity: 1000, Taps: 20}, {Capacity: 1 << 17}}

// variants are every variant this machine runs, and Auto.
func variants(t *testing.T) []zerocall.Variant {
	vs := append(native.Variants(), zerocall.Auto)
	t.Logf("variants: %v (Auto is the first)", vs)
	return vs
}

func TestKernels(t *testing.T) {
	for _, v := range variants(t) {
		t.Run(v.String(), func(t *testing.T) {
			t.Run("straight", func(t *testing.T) {
				kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return measure.Straight(v) }})
			})
			t.Run("direct", func(t *testing.T) {
				kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return measure.Direct(v) }})
			})
			caps := capacities
			if v == zerocall.Auto && testing.Short() {
				// Auto runs the code of the best variant, which the
				// whole table runs already; -short (make check, and
				// arm64 under qemu) keeps what Auto adds, the choice,
				// on the small capacity only.
				caps = caps[:1]
			}
			for _, cfg := range caps {
				cfg.Variant = v
				capacity, taps := cfg.Capacity, cfg.Taps
				if taps == 0 {
					taps = 256
				}
				for name, ctor := range map[string]func(zerocall.Config) (*zerocall.Instance, error){
					"pinned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.Pinned, c) },
					"cowned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.COwned, c) },
				} {
					t.Run(fmt.Sprintf("%s/cap=%d", name, capacity), func(t *testing.T) {
						kerneltest.Run(t, kerneltest.Target{
							New:      func() (measure.Kernels, error) { return ctor(cfg) },
							Capacity: capacity,
							Taps:     taps,
						})
					})
				}
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	for _, v := range []zerocall.Variant{zerocall.AVX512 + 1, -1} {
		if _, err := measure.Straight(v); !errors.Is(err, zerocall.ErrUnsupported) || !strings.Contains(err.Error(), "variant "+v.String()) {
			t.Errorf("NewStraight(%v): err = %v, want ErrUnsupported naming the variant", v, err)
		}
		if _, err := native.New(zerocall.Pinned, zerocall.Config{Variant: v}); !errors.Is(err, zerocall.ErrUnsupported) || !strings.Contains(err.Error(), "variant "+v.String()) {
			t.Errorf("New(Pinned, %v): err = %v, want ErrUnsupported naming the variant", v, err)
		}
	}
	for _, v := range []zerocall.Variant{zerocall.AVX2, zerocall.AVX512} {
		if !supported(v) {
			if _, err := native.New(zerocall.COwned, zerocall.Config{Variant: v}); !errors.Is(err, zerocall.ErrUnsupported) {
				t.Errorf("New(COwned, %v) on a CPU without it: err = %v, want ErrUnsupported", v, err)
			}
		}
	}
	// Module memory is refused as such at any size, also one that no
	// memory would hold.
	for _, c := range []int{0, 1 << 36} {
		if in, err := native.New(zerocall.Module, zerocall.Config{Capacity: c}); in != nil || !errors.Is(err, zerocall.ErrUnsupported) {
			t.Errorf("New(Module) of capacity %d: %v, %v, want ErrUnsupported", c, in, err)
		}
	}
}

func supported(v zerocall.Variant) bool {
	for _, s := range native.Variants() {
		if s == v {
			return true
		}
	}
	return false
}

func TestConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  zerocall.Config
		want string // what the error names
	}{
		{zerocall.Config{Capacity: -1}, "a capacity of -1;"},
		{zerocall.Config{Taps: -1}, "-1 taps with a capacity of 65536"},
		{zerocall.Config{Capacity: 10, Taps: 11}, "11 taps with a capacity of 10"},
		{zerocall.Config{Capacity: 1 << 62}, "a capacity of 4611686018427387904;"},
	} {
		for name, ctor := range map[string]func(zerocall.Config) (*zerocall.Instance, error){
			"pinned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.Pinned, c) },
			"cowned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.COwned, c) },
		} {
			if _, err := ctor(c.cfg); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s(%+v): err = %v, want ErrArgument saying %q", name, c.cfg, err, c.want)
			}
		}
	}
	in, err := native.New(zerocall.Pinned, zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := in.Regions()
	if n, taps := len(r.X), len(r.Taps); n != 1<<16 || taps != 256 {
		t.Errorf("zero Config: capacity %d, taps %d", n, taps)
	}
	for _, s := range [][]float64{r.X, r.Y, r.Out, r.Taps} {
		if p := &s[0]; uintptr(unsafePointer(p))%64 != 0 {
			t.Errorf("region at %p is not 64-byte aligned", p)
		}
	}
}

// TestBackstop drops instances without Close: the backstop must release
// them (a pinned buffer left pinned would crash the process from the
// Pinner's own leak check) and zerocall.Leaked must count every one.
func TestBackstop(t *testing.T) {
	before := zerocall.Leaked()
	const dropped = 8
	for i := range dropped {
		mem := zerocall.Pinned
		if i%2 == 1 {
			mem = zerocall.COwned
		}
		in, err := native.New(mem, zerocall.Config{Capacity: 1 << 12})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Sum(in.Regions().X[:10]); err != nil {
			t.Fatal(err)
		}
	}
	expectedLeaks.Add(dropped)
	kerneltest.AfterGC(func() bool { return zerocall.Leaked()-before >= dropped })
	if n := zerocall.Leaked() - before; n != dropped {
		t.Errorf("Leaked grew by %d, want %d", n, dropped)
	}
}

// TestBackstopHandles drops handles and batches of a kernel without
// Close, in pinned and C-owned memory: the backstop must release each
// (unpinning Go memory, or the Pinner's own leak check would crash the
// process), count it in zerocall.Leaked, and leave C-owned views
// readable, since C memory is kept, not freed.
func TestBackstopHandles(t *testing.T) {
	f, err := native.Builtin(kernel.Sum, zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	before := zerocall.Leaked()
	const dropped = 6
	var views [][]float64
	for i := range dropped {
		mem := []zerocall.Memory{zerocall.Pinned, zerocall.COwned}[i%2]
		var h *kernel.Handle
		if i < 4 {
			h, err = f.Handle(mem, 1<<16)
		} else {
			var b *kernel.Batch
			if b, err = f.Batch(mem, 8, 1<<16); err == nil {
				h = b.Handle
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		x := kernel.Elems[float64](h.Region(0))
		x[0], x[1] = 1, 2
		if r, err := h.Call(nil, kernel.SliceOf(x[:2])); err != nil || r.F != 3 {
			t.Fatalf("a call in place: %v, %v", r.F, err)
		}
		if mem == zerocall.COwned {
			views = append(views, x)
		}
	}
	expectedLeaks.Add(dropped)
	kerneltest.AfterGC(func() bool { return zerocall.Leaked()-before >= dropped })
	if n := zerocall.Leaked() - before; n != dropped {
		t.Errorf("Leaked grew by %d, want %d", n, dropped)
	}
	for _, x := range views {
		if x[0] != 1 || x[1] != 2 {
			t.Errorf("a C-owned view after the backstop holds %v %v, want 1 2", x[0], x[1])
		}
	}
}

// TestBackstopKeepsViews takes an instance's regions, drops the instance
// without Close, and uses the views after the backstop has run: they must
// still point at live memory holding what was written (the backstop may
// unpin Go memory, which the views keep alive, but must not free C
// memory). The capacity makes C's buffer large enough that malloc maps it
// on its own, so freeing it would unmap it and the views would fault.
func TestBackstopKeepsViews(t *testing.T) {
	for name, ctor := range map[string]func(zerocall.Config) (*zerocall.Instance, error){
		"pinned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.Pinned, c) },
		"cowned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.COwned, c) },
	} {
		t.Run(name, func(t *testing.T) {
			kerneltest.Backstop(t, func() (*zerocall.Instance, error) { return ctor(zerocall.Config{Capacity: 1 << 16}) }, &expectedLeaks)
		})
	}
}

// TestNoMemory asks for buffers no machine here can hold: the constructor
// must say so with ErrNoMemory, where the Go runtime would otherwise stop
// the process with a fatal out-of-memory error that nothing can recover.
func TestNoMemory(t *testing.T) {
	for _, c := range []int{1 << 34, 1<<40/8 - 1} {
		for name, ctor := range map[string]func(zerocall.Config) (*zerocall.Instance, error){
			"pinned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.Pinned, c) },
			"cowned": func(c zerocall.Config) (*zerocall.Instance, error) { return native.New(zerocall.COwned, c) },
		} {
			in, err := ctor(zerocall.Config{Capacity: c})
			if !errors.Is(err, zerocall.ErrNoMemory) {
				t.Errorf("%s(capacity %d): err = %v, want ErrNoMemory", name, c, err)
			}
			if in != nil {
				in.Close()
			}
		}
	}
}

// TestPinLeakDetected shows that a pin left behind does not go unnoticed:
// the Go runtime fails the process when a Pinner holding pins becomes
// unreachable. TestBackstop relies on this: if the backstop of a dropped
// pinned instance did not unpin, the test binary would die.
func TestPinLeakDetected(t *testing.T) {
	if os.Getenv("ZEROCALL_LEAK_A_PIN") == "1" {
		p := new(runtime.Pinner)
		p.Pin(&make([]float64, 1024)[0])
		p = nil
		for range 50 {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
		os.Exit(0) // not reached if the runtime noticed
	}
	cmd := kerneltest.Reexec("-test.run=^TestPinLeakDetected$")
	cmd.Env = append(os.Environ(), "ZEROCALL_LEAK_A_PIN=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "leaking pinned pointer") {
		t.Errorf("a leaked pin went unnoticed: err = %v, output:\n%s", err, out)
	}
}

// TestVariantSetenv sets ZEROCALL_VARIANT from the program, with
// os.Setenv, before the built-ins' first use, in a process of its own:
// the C library's choice obeys it as the Go side's does. (On Windows,
// the C library's getenv reads a copy of the environment made at
// start-up, which os.Setenv does not change.)
func TestVariantSetenv(t *testing.T) {
	if os.Getenv("ZEROCALL_SETENV_CHILD") == "1" {
		os.Setenv("ZEROCALL_VARIANT", "scalar")
		if v := native.Variants()[0]; v != zerocall.Scalar {
			fmt.Fprintf(os.Stderr, "the built-ins run %v under ZEROCALL_VARIANT=scalar\n", v)
			os.Exit(1)
		}
		os.Exit(0)
	}
	cmd := kerneltest.Reexec("-test.run=^TestVariantSetenv$")
	cmd.Env = append(os.Environ(), "ZEROCALL_SETENV_CHILD=1", "ZEROCALL_VARIANT=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%v: %s", err, out)
	}
}
