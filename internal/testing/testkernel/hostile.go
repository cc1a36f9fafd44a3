package testkernel

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
)

// Instances makes instances of the test kernel on a host, from a module
// it loaded: Owned, a handle with regions of c elements; Batch, a batch of
// four calls with regions of c elements.
type Instances struct {
	Owned func(c int) (*kernel.Handle, error)
	Batch func(c int) (*kernel.Batch, error)
}

// Load is how a host under test loads a module: it returns the makers of
// the test kernel's instances, and a function that releases the module.
type Load func(bin []byte, cfg zerocall.Config) (Instances, func(), error)

// RunHostile loads each hostile module through load: every one ends in a
// clear error naming what is wrong (at load, at instantiation or at the
// call), the failed instance stays broken, and a good instance made
// before keeps working through all of it.
func RunHostile(t *testing.T, load Load) {
	t.Helper()
	good, err := mustLoad(t, load, Module(), zerocall.Config{}).Owned(64)
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	checkGood := func(t *testing.T) {
		t.Helper()
		x, y, out := f32(good.Region(0)), f32(good.Region(1)), f32(good.Region(2))
		for i := range 64 {
			x[i], y[i] = float32(i), 1
		}
		r, err := call(good, 64)
		if err != nil || r.N != 64 || out[63] != 2*63+1 {
			t.Fatalf("the good instance after a hostile one: %v, %v, out[63] = %v", r, err, out[63])
		}
	}
	start, err := WithStart(Hostile("traps"), "zc_test_boom")
	if err != nil {
		t.Fatal(err)
	}
	spinStart, err := WithStart(Tiny{}.Bytes(), "zc_test_spin")
	if err != nil {
		t.Fatal(err)
	}
	limited := zerocall.Config{TimeLimit: 50 * time.Millisecond} // set-up spins: it is stopped
	stopping := zerocall.Config{TimeLimit: StopLimit}            // set-up must finish, then a call is stopped
	memLimited := zerocall.Config{MemoryLimit: 1 << 20}
	t.Run("tiny", func(t *testing.T) { checkTiny(t, load) })
	t.Run("start-returns", func(t *testing.T) {
		// A start function that returns at once passes the time limit:
		// every handle is made. (On wazero the limit of set-up with a
		// start function is a deadline of its own: TestBounded.)
		nop, err := WithStart(Tiny{}.Bytes(), "zc_test_nop")
		if err != nil {
			t.Fatal(err)
		}
		inst := mustLoad(t, load, nop, zerocall.Config{TimeLimit: StopLimit})
		for i := range 20 {
			h, err := inst.Owned(64)
			if err != nil {
				t.Fatalf("handle %d: %v", i, err)
			}
			if r, err := call(h, 64); err != nil || r.N != 64 {
				t.Errorf("handle %d: a call returned %v, %v", i, r, err)
			}
			h.Close()
		}
	})
	t.Run("own-page", func(t *testing.T) {
		// A module whose start function grows memory for itself, as an
		// allocator of its own does: the regions lie clear of that page,
		// and its kernel, which writes every element of its buffers and
		// traps if the page changed, runs.
		bin, err := WithStart(Hostile("ownpage"), "zc_test_own_page")
		if err != nil {
			t.Fatal(err)
		}
		const c = 64 << 10 // regions of 256 KiB each, from past the static data
		h, err := mustLoad(t, load, bin, zerocall.Config{}).Owned(c)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		if r, err := call(h, c); err != nil || r.N != c {
			t.Fatalf("a call over the whole regions: %v, %v", r, err)
		}
	})
	t.Run("memory-limit-good", func(t *testing.T) {
		// Regions that fit the limit beside the module's own pages work.
		h, err := mustLoad(t, load, Module(), memLimited).Owned(4096)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		if r, err := call(h, 4096); err != nil || r.N != 4096 {
			t.Fatalf("a call under a memory limit: %v, %v", r, err)
		}
	})
	t.Run("grows-at-limit", func(t *testing.T) {
		// A kernel that grows memory where the memory limit allows no
		// more: the grow fails as the kernel sees it (-1), which changes
		// nothing, and the call and the instance are good. (Two pages
		// hold this module and its regions.)
		h, err := mustLoad(t, load, Hostile("grows"), zerocall.Config{MemoryLimit: 2 << 16}).Owned(64)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		for range 2 {
			if r, err := call(h, 64); err != nil || r.N != 64 || h.Err() != nil {
				t.Fatalf("a grow that fails at the memory limit: %v, %v, Err() = %v; want a good call", r, err, h.Err())
			}
		}
	})
	for _, c := range []struct {
		name    string
		bin     []byte
		cfg     zerocall.Config
		caps    int
		is      error
		message string
	}{
		{"imports", Hostile("imports"), zerocall.Config{}, 64, zerocall.ErrLoad, "imports env.host_log"},
		{"version", Hostile("version"), zerocall.Config{}, 64, zerocall.ErrLoad, "zc_abi_version is 2"},
		{"signature", Hostile("signature"), zerocall.Config{}, 64, zerocall.ErrLoad, `"zc_test_saxpy" has type [i32] -> [i32]`},
		{"outside", Hostile("outside"), zerocall.Config{}, 64, zerocall.ErrLoad, "past the end of memory"},
		{"overlap", Hostile("overlap"), zerocall.Config{}, 64, zerocall.ErrLoad, "overlap the frame"},
		{"misaligned", Hostile("misaligned"), zerocall.Config{}, 64, zerocall.ErrLoad, "not aligned to 64"},
		{"small", Hostile("small"), zerocall.Config{}, 1 << 20, zerocall.ErrNoMemory, "at most 131072"},
		{"start", start, zerocall.Config{}, 64, zerocall.ErrLoad, "unreachable"},
		{"grows", Hostile("grows"), zerocall.Config{}, 64, zerocall.ErrBroken, "grew the module's memory"},
		{"count", Hostile("count"), zerocall.Config{}, 64, zerocall.ErrBroken, "reported 1064 elements"},
		{"traps", Hostile("traps"), zerocall.Config{}, 64, zerocall.ErrBroken, "unreachable"},
		{"loops", Hostile("loops"), stopping, 64, zerocall.ErrBroken, "time limit"},
		// A trap is a trap, whatever the module names its functions.
		{"traps-named", WithName(Hostile("traps"), Export, "interrupt"), stopping, 64, zerocall.ErrBroken, "unreachable"},
		{"memory64", Tiny{Memories: []byte{Mem64}}.Bytes(), zerocall.Config{}, 64, zerocall.ErrLoad, "its memory is 64-bit"},
		{"shared", Tiny{Memories: []byte{MemShared | MemMax}}.Bytes(), zerocall.Config{}, 64, zerocall.ErrLoad, "its memory is shared"},
		{"memories", Tiny{Memories: []byte{0, 0}}.Bytes(), zerocall.Config{}, 64, zerocall.ErrLoad, "defines 2 memories"},
		{"start-spins", spinStart, limited, 64, zerocall.ErrLoad, "instantiating: the start function ran past the time limit of 50ms during set-up"},
		{"version-spins", Tiny{Spin: "zc_abi_version"}.Bytes(), limited, 64, zerocall.ErrLoad, "zc_abi_version: ran past the time limit of 50ms during set-up"},
		{"reserve-spins", Tiny{Spin: "zc_reserve"}.Bytes(), limited, 64, zerocall.ErrLoad, "zc_reserve for the frame: ran past the time limit of 50ms during set-up"},
		// A memory limit of 1 MiB: a module that starts past it; regions
		// that alone pass it; regions that fit it, but not beside the
		// module's own 2 pages, which zc_reserve cannot grow past it.
		{"memory-starts", Tiny{Pages: 64}.Bytes(), memLimited, 64, zerocall.ErrLoad, "starts at 64 pages (4194304 bytes), past the memory limit of 1048576 bytes"},
		{"memory-limit", Module(), memLimited, 1 << 17, zerocall.ErrNoMemory, "holds at most 1048576"},
		{"memory-limit-grow", Module(), memLimited, 80 << 10, zerocall.ErrNoMemory, "the module's memory cannot hold it"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer checkGood(t)
			defer checkGoroutines(t, runtime.NumGoroutine())
			err := func() error {
				inst, release, err := load(c.bin, c.cfg)
				if err != nil {
					return err
				}
				defer release()
				h, err := inst.Owned(c.caps)
				if err != nil {
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
				t.Fatalf("err = %v, want %v saying %q", err, c.is, c.message)
			}
		})
	}
}

// RunLimitAfterClose calls a kernel that loops forever, under a time
// limit, on a handle of a library closed since it was made: the handle
// keeps working, and its time limit with it.
func RunLimitAfterClose(t *testing.T, load Load) {
	inst, release, err := load(Hostile("loops"), zerocall.Config{TimeLimit: StopLimit})
	if err != nil {
		t.Fatal(err)
	}
	h, err := inst.Owned(64)
	release()
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	done := make(chan error, 1)
	go func() {
		_, err := call(h, 64)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "time limit") {
			t.Errorf("err = %v, want ErrBroken saying the time limit stopped it", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a call on a handle of a closed library ran 30 s past its time limit")
	}
}

// RunSlowCompile loads, under a time limit, a module of tens of kilobytes
// that takes wazero's compiler seconds (SlowToCompile): Load fails with
// ErrLoad in about the second it allows, saying the compile took too
// long, and leaves no goroutine behind once the compile it gave up on has
// stopped. A runtime that compiles it within that second fails it for
// lacking the ABI's exports; one that took longer was not stopped.
func RunSlowCompile(t *testing.T, load Load) {
	defer checkGoroutines(t, runtime.NumGoroutine())
	bin := SlowToCompile(40, 300) // many short functions: wazero stops soon after it gives up, even under -race
	start := time.Now()
	_, release, err := load(bin, zerocall.Config{TimeLimit: 50 * time.Millisecond})
	if err == nil {
		release()
	}
	took := time.Since(start)
	// What a limit of 50 ms allows a module of this size to compile in:
	// a second and 10 ms a kilobyte (wasm.Config's TimeLimit).
	allowed := time.Second + time.Duration(len(bin))*10*time.Microsecond
	switch {
	case !errors.Is(err, zerocall.ErrLoad) || took > 3*time.Second:
		t.Errorf("Load of %d bytes: %v after %v, want ErrLoad within 3s", len(bin), err, took)
	case !strings.Contains(err.Error(), "to compile it") && took > allowed:
		t.Errorf("Load of %d bytes: %v after %v: it compiled past the %v the limit allows, and was not stopped", len(bin), err, took, allowed)
	}
}

// mustLoad loads bin through load, failing t if it cannot, and releases
// it when t ends.
func mustLoad(t *testing.T, load Load, bin []byte, cfg zerocall.Config) Instances {
	t.Helper()
	inst, release, err := load(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	return inst
}

// call makes one call of the test kernel on h in place, with a = 2.
func call(h *kernel.Handle, n int) (kernel.Return, error) {
	a := kernel.Args{Len: [8]int{n, n, n}, F: [kernel.MaxScalars]float64{2}}
	return h.Call(&a, Views(h, &a)...)
}

// checkTiny checks that the zero Tiny is a good module on the host, with
// and without limits, so that each hostile variant of it fails for what
// it changes.
func checkTiny(t *testing.T, load Load) {
	for _, cfg := range []zerocall.Config{{}, {TimeLimit: AmpleLimit}, {MemoryLimit: 2 << 16}, {TimeLimit: AmpleLimit, MemoryLimit: 1 << 20}} {
		inst, release, err := load(Tiny{}.Bytes(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		h, err := inst.Owned(64)
		if err != nil {
			release()
			t.Fatal(err)
		}
		r, err := call(h, 64)
		h.Close()
		release()
		if err != nil || r.N != 64 {
			t.Fatalf("a call of the tiny module (%v): %v, %v", cfg, r, err)
		}
	}
}

// checkGoroutines fails t if, after a hostile module was released, more
// goroutines than before are still running 20 seconds later: a set-up
// stopped by the time limit, say, must leave none behind.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	if !kerneltest.AfterGC(func() bool { return runtime.NumGoroutine() <= before }) {
		n := runtime.NumGoroutine()
		t.Errorf("%d goroutines left running, %d before", n, before)
	}
}
