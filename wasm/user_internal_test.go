package wasm

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/tetratelabs/wazero"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasm/engine"
)

// TestTimeLimitAllocs checks that a call under a time limit allocates
// nothing, as one without: the module is compiled with the checks of
// wasmabi.Interruptible, not wazero's own, which start a goroutine and
// make a channel for each call.
func TestTimeLimitAllocs(t *testing.T) {
	if kerneltest.Race {
		t.Skip("allocation counts are not exact under the race detector")
	}
	f := testkernel.LoadFunc(t, Load, embed.Bytes(zerocall.SIMD128), zerocall.Config{TimeLimit: testkernel.AmpleLimit}, kernel.Sum, "sum")
	if m, ok := f.lib.mod.(*wazeroModule); !ok || !m.stop {
		t.Fatal("the module under a time limit is not compiled with the stop global's checks")
	}
	h, err := f.Handle(zerocall.Module, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	a := kernel.Args{}
	x := h.Region(0)
	if n := testing.AllocsPerRun(1000, func() { _, _ = h.Call(&a, x) }); n != 0 {
		t.Errorf("a call under a time limit allocates %v times, want 0", n)
	}
}

// TestTimeLimitInterpreter loads, under a time limit, a module whose
// zc_reserve never returns, on wazero's interpreter: the interpreter is
// not taken for a compiler, the module keeps wazero's own checks (the
// stop global's would be Go code racing the watchdog's write), and they
// stop the call.
func TestTimeLimitInterpreter(t *testing.T) {
	if !wazeroEngine.compiles() && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") {
		t.Error("wazero's compiler not found where it runs")
	}
	e := &wazeroRuntime{config: wazero.NewRuntimeConfigInterpreter}
	if e.compiles() {
		t.Fatal("wazero's interpreter taken for its compiler")
	}
	lib, err := Load(testkernel.Tiny{Spin: "zc_reserve"}.Bytes(), zerocall.Config{Engine: e, TimeLimit: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if lib.mod.(*wazeroModule).stop {
		t.Fatal("compiled with the stop global's checks on the interpreter")
	}
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Handle(zerocall.Module, 16, 16, 16)
	if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), "ran past the time limit") {
		t.Errorf("err = %v, want ErrLoad saying set-up ran past the time limit", err)
	}
}

// TestMemoryLimitStoppedCall runs a kernel that loops forever, growing
// memory after each long stretch of work, under a time limit and a
// memory limit. The call runs on after the watchdog fires, up to its
// next check, and its memory must stay within the limit meanwhile (with
// wazero's own checks, the watchdog closes the instance, and wazero
// detaches the allocator that holds the limit: the memory's maximum,
// which Load lowers to the limit, must hold it then). Each call ends
// broken with the memory within the limit.
func TestMemoryLimitStoppedCall(t *testing.T) {
	if kerneltest.Race {
		// The module's long stretch of code takes wazero's instrumented
		// compiler past the compile bound a 20 ms limit gives (1.5 s on a
		// busy machine); the other builds test the limit.
		t.Skip("compiles past its time limit's bound under the race detector")
	}
	const limit = 1 << 20
	lib, err := Load(testkernel.Tiny{Grow: 1000}.Bytes(), zerocall.Config{TimeLimit: 20 * time.Millisecond, MemoryLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if max, hasMax, _ := lib.mod.Memory(); !hasMax || max != limit/65536 {
		t.Errorf("the memory's maximum under a limit of %d bytes: %d pages (%v), want %d", limit, max, hasMax, limit/65536)
	}
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		inst, err := newOwned(f, []int{8, 8, 8}, 0)
		if err != nil {
			t.Fatal(err)
		}
		o := inst.Host.(*owned)
		a := kernel.Args{Len: [8]int{8, 8, 8}}
		_, err = o.Run(&a)
		size := o.inst.(*wazeroInstance).mem.Size()
		o.clean.Stop()
		_ = o.inst.Close()
		if !errors.Is(err, zerocall.ErrBroken) {
			t.Fatalf("a call that loops: %v, want ErrBroken", err)
		}
		if size > limit {
			t.Fatalf("the memory grew to %d bytes, past the limit of %d", size, limit)
		}
	}
}

// closeCounting is a runtime that counts the Closes of the modules it
// compiles.
type closeCounting struct {
	engine.Engine
	closed *atomic.Int64
}

func (e closeCounting) Compile(bin []byte, timeLimit time.Duration, memoryLimit uint64) (engine.Module, error) {
	m, err := e.Engine.Compile(bin, timeLimit, memoryLimit)
	if err != nil {
		return nil, err
	}
	return countedModule{m, e.closed}, nil
}

type countedModule struct {
	engine.Module
	closed *atomic.Int64
}

func (m countedModule) Close() error { m.closed.Add(1); return m.Module.Close() }

// TestLibraryDropped drops a Library and its Func without Close, with a
// handle of it still open: the compiled module must be released once the
// Library is collected, as Close would (wazero keeps every module it
// compiled until it is closed), and the handle must keep working, as
// after Close. A Library closed before it is collected releases its
// module once only.
func TestLibraryDropped(t *testing.T) {
	var closed atomic.Int64
	cfg := zerocall.Config{Engine: closeCounting{wazeroEngine, &closed}}
	_, _, h := testkernel.SaxpyHandle(t, Load, cfg) // the Library and the Func are dropped at once
	defer h.Close()
	if !kerneltest.AfterGC(func() bool { return closed.Load() != 0 }) {
		t.Fatal("a Library dropped without Close kept its compiled module")
	}
	x := kernel.SliceOf([]float32{1, 2})
	if r, err := h.Call(&kernel.Args{F: [4]float64{2}}, x, x, kernel.SliceOf(make([]float32, 2))); err != nil || r.N != 2 {
		t.Errorf("a handle of a collected Library: %v, %v", r, err)
	}

	closed.Store(0)
	lib, err := Load(testkernel.Module(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Close(); err != nil {
		t.Fatal(err)
	}
	lib = nil
	for range 5 {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if n := closed.Load(); n != 1 {
		t.Errorf("a Library closed, then collected, closed its module %d times, want once", n)
	}
}

// TestLinearMemoryGrowth grows an instance's memory page by page, as a
// module's allocator may while it sets up: the slice is reallocated a
// few dozen times, not once per page, stops at its limit, and keeps
// every byte written before it moved.
func TestLinearMemoryGrowth(t *testing.T) {
	const page, pages = 1 << 16, 500
	m := &linearMemory{limit: pages * page}
	m.Reallocate(0)
	moves, last := 0, (*byte)(nil)
	for n := uint64(1); n <= pages; n++ {
		buf := m.Reallocate(n * page)
		if uint64(len(buf)) != n*page {
			t.Fatalf("grown to %d pages, the memory holds %d bytes", n, len(buf))
		}
		if p := unsafe.SliceData(buf); p != last {
			moves, last = moves+1, p
		}
		buf[(n-1)*page] = byte(n)
		if uint64(cap(buf)) > m.limit {
			t.Fatalf("capacity %d past the limit of %d bytes", cap(buf), m.limit)
		}
	}
	if moves > 40 {
		t.Errorf("%d pages grown one at a time moved the memory %d times, want at most 40", pages, moves)
	}
	for n := uint64(1); n <= pages; n++ {
		if got := m.buf[(n-1)*page]; got != byte(n) {
			t.Fatalf("page %d holds %d after the moves, want %d", n, got, byte(n))
		}
	}
	if m.Reallocate((pages+1)*page) != nil {
		t.Errorf("grown past the limit")
	}
}

// TestLinearMemoryStopped checks that a memory grows no more once the
// watchdog has stopped a call of its instance. And wazero makes every
// access of a memory of the full 4 GiB out of bounds: a module that
// starts there is refused, and one a page short runs its calls (the
// memory's size read as a length, not as a 32-bit count of bytes, which
// wraps to 0 at 4 GiB).
func TestLinearMemoryStopped(t *testing.T) {
	var stopped atomic.Bool
	m := &linearMemory{limit: 1 << 20, stopped: &stopped}
	if len(m.Reallocate(1<<16)) != 1<<16 {
		t.Fatal("a memory not stopped did not grow")
	}
	stopped.Store(true)
	if m.Reallocate(2<<16) != nil || len(m.buf) != 1<<16 {
		t.Errorf("a stopped memory grew to %d bytes", len(m.buf))
	}
	if _, err := Load(testkernel.Tiny{Pages: 1 << 16}.Bytes(), zerocall.Config{}); !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), "the full 4 GiB") {
		t.Errorf("a module of 4 GiB of memory: %v, want ErrLoad saying why", err)
	}
	if testing.Short() {
		t.Skip("a memory of 4 GiB: not in -short runs, which emulators make")
	}
	f := testkernel.LoadFunc(t, Load, testkernel.Tiny{Pages: 1<<16 - 1}.Bytes(), zerocall.Config{}, testkernel.Saxpy, testkernel.Export)
	h, err := f.Handle(zerocall.Module, 8, 8, 8)
	if err != nil {
		t.Fatalf("a module of 4 GiB less a page of memory: %v", err)
	}
	defer h.Close()
	a := kernel.Args{Len: [8]int{8, 8, 8}}
	if r, err := h.Call(&a, testkernel.Views(h, &a)...); err != nil || r.N != 8 {
		t.Errorf("a call in 4 GiB less a page of memory: %v, %v", r, err)
	}
}

// TestWatchdogReturned checks that a call the watchdog stopped fails
// even if it returned, and one it did not stop does not.
func TestWatchdogReturned(t *testing.T) {
	stopped := make(chan struct{})
	w := newWatchdog(func() { close(stopped) }, 20*time.Millisecond)
	defer w.stop()
	w.begin()
	if err := w.end(nil); err != nil {
		t.Fatalf("a call not stopped: %v", err)
	}
	w.begin()
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		t.Fatal("the watchdog did not stop a call 20 s long")
	}
	if err := w.end(nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a call the watchdog stopped that returned: %v, want the time limit's error", err)
	}
}

// TestTimeLimitBigHandle makes handles of 192 MiB of regions under a
// time limit of 10 ms. wazero copies a memory whole each time it grows,
// which takes longer than that: grown by zc_reserve, region by region,
// the copies ran inside the set-up calls, and the time limit stopped
// them. An instance's memory now has room for its reservations past its
// end from the start, so growing into it copies nothing: each handle is
// made, and its calls run.
func TestTimeLimitBigHandle(t *testing.T) {
	if testing.Short() {
		t.Skip("regions of 192 MiB: not in -short runs, which emulators make")
	}
	f := testkernel.LoadFunc(t, Load, embed.Bytes(zerocall.SIMD128), zerocall.Config{TimeLimit: 10 * time.Millisecond}, kernel.Axpy, "axpy")
	for range 3 {
		h, err := f.Handle(zerocall.Module, 1<<23, 1<<23, 1<<23)
		if err != nil {
			t.Fatalf("a handle of 192 MiB under a time limit of 10 ms: %v", err)
		}
		a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
		x, y, out := kernel.Elems[float64](h.Region(0))[:1], kernel.Elems[float64](h.Region(1))[:1], kernel.Elems[float64](h.Region(2))[:1]
		x[0], y[0] = 1, 10
		if _, err := h.Call(&a, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)); err != nil || out[0] != 12 {
			t.Errorf("a call of the handle: %v, out %v, want 12", err, out[0])
		}
		h.Close()
	}
}

// TestFreshPages makes a handle of a module whose zc_reserve takes each
// reservation from pages it grows memory by, under a memory limit that
// holds the regions once, not twice: the room the host gives the memory
// for the reservations must not be memory the module sees, which such a
// module would grow past.
func TestFreshPages(t *testing.T) {
	const limit = 40 << 20 // regions of 24 MiB, and a few pages
	f := testkernel.LoadFunc(t, Load, testkernel.Tiny{FreshPages: true}.Bytes(), zerocall.Config{MemoryLimit: limit}, testkernel.Saxpy, testkernel.Export)
	h, err := f.Handle(zerocall.Module, 2<<20, 2<<20, 2<<20)
	if err != nil {
		t.Fatalf("regions of 24 MiB under a memory limit of 40 MiB: %v", err)
	}
	defer h.Close()
	a := kernel.Args{Len: [8]int{8, 8, 8}}
	if r, err := h.Call(&a, testkernel.Views(h, &a)...); err != nil || r.N != 8 {
		t.Errorf("a call: %v, %v", r, err)
	}
}

// TestBounded checks the deadline of a wazero set-up with a start
// function by its lower bounds, which a loaded machine only makes later:
// a limit under 4 ms acts as about 4 ms, as the watchdog's does, and the
// time the host takes to allocate the memory (between pause and resume)
// does not count. Before, the deadline was the limit itself, from the
// start: 1 ns failed a start function that returned at once, and
// clearing a large memory counted against the module.
func TestBounded(t *testing.T) {
	for _, c := range []struct {
		name         string
		limit, alloc time.Duration
		least        time.Duration
	}{
		{"floor", time.Nanosecond, 0, watchSamples * time.Millisecond},
		{"allocation", 20 * time.Millisecond, 60 * time.Millisecond, 80 * time.Millisecond},
	} {
		start := time.Now()
		err := bounded(c.limit, func(ctx context.Context, pause func() func()) error {
			if c.alloc > 0 {
				resume := pause()
				time.Sleep(c.alloc)
				resume()
			}
			<-ctx.Done()
			return ctx.Err()
		})
		if took := time.Since(start); took < c.least {
			t.Errorf("%s: the deadline of a limit of %v came after %v, want at least %v", c.name, c.limit, took, c.least)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want an error wrapping context.DeadlineExceeded", c.name, err)
		}
	}
}
