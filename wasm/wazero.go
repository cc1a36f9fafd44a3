package wasm

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/zerocall/zerocall/internal/sysmem"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm/engine"
)

// wazeroEngine is wazero as package wasm's runtime: New and Load run on
// it.
var wazeroEngine = &wazeroRuntime{config: wazero.NewRuntimeConfig}

// wazeroRuntime is a wazero runtime of config for modules without a time
// limit and one that can stop a call for those with one, each made on
// first use. The default configuration picks wazero's compiler where it
// is supported and its interpreter elsewhere.
type wazeroRuntime struct {
	config func() wazero.RuntimeConfig
	rt     [2]struct {
		once sync.Once
		rt   wazero.Runtime
	}
	native struct {
		once sync.Once
		ok   bool
	}
}

// runtime returns the runtime of modules with a time limit if limited,
// or else of those without.
func (w *wazeroRuntime) runtime(limited bool) wazero.Runtime {
	i := 0
	if limited {
		i = 1
	}
	r := &w.rt[i]
	r.once.Do(func() {
		r.rt = wazero.NewRuntimeWithConfig(context.Background(), w.config().WithCloseOnContextDone(limited))
	})
	return r.rt
}

func (w *wazeroRuntime) Name() string { return "wazero" }

// compiles reports whether w's runtimes compile modules to machine code,
// where the checks of wasmabi.Interruptible run; in wazero's interpreter
// they would be Go code reading a global that another goroutine writes.
// It looks once for wazero's compiler among the callers of a function
// that a module imports and calls, in a runtime of its own: if wazero's
// packages are named otherwise one day, it finds none, and time limits
// use wazero's own checks.
func (w *wazeroRuntime) compiles() bool {
	w.native.once.Do(func() {
		ctx := context.Background()
		rt := wazero.NewRuntimeWithConfig(ctx, w.config())
		defer rt.Close(ctx)
		found := false
		_, err := rt.NewHostModuleBuilder("e").NewFunctionBuilder().WithFunc(func(context.Context) {
			pc := make([]uintptr, 64)
			frames := runtime.CallersFrames(pc[:runtime.Callers(1, pc)])
			for f, more := frames.Next(); more; f, more = frames.Next() {
				found = found || strings.Contains(f.Function, "/wazero/internal/engine/wazevo.")
			}
		}).Export("f").Instantiate(ctx)
		if err != nil {
			return
		}
		mod, err := rt.Instantiate(ctx, probeModule)
		if err != nil {
			return
		}
		if _, err := mod.ExportedFunction("g").Call(ctx); err == nil {
			w.native.ok = found
		}
	})
	return w.native.ok
}

// probeModule is a module that exports g, which calls the function f it
// imports from module e.
var probeModule = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // types: () -> ()
	0x02, 0x07, 0x01, 0x01, 'e', 0x01, 'f', 0x00, 0x00, // imports: e.f of type 0
	0x03, 0x02, 0x01, 0x00, // functions: one of type 0
	0x07, 0x05, 0x01, 0x01, 'g', 0x00, 0x01, // exports: g, function 1
	0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b, // code: call 0
}

// Compile compiles bin. Under a time limit, where wazero compiles to
// machine code, it compiles bin with the checks of wasmabi.Interruptible
// if it can, on the runtime of modules without a limit: the watchdog then
// stops a call by setting the stop global, and a call allocates nothing.
// wazero's own checks, which Compile falls back to, start a goroutine
// for each call (three allocations and about a microsecond) and call out
// of the code at the head of every loop.
func (w *wazeroRuntime) Compile(bin []byte, timeLimit time.Duration, memoryLimit uint64) (engine.Module, error) {
	stop := false
	if timeLimit > 0 && w.compiles() {
		var out []byte
		if out, stop = wasmabi.Interruptible(bin); stop {
			bin = out
		}
	}
	rt := w.runtime(timeLimit > 0 && !stop)
	ctx := context.Background()
	if timeLimit > 0 {
		// Load gives up at compileTime; wazero stops at the next
		// function after it, if it compiles with workers (with one, it
		// does not look at the context).
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, compileTime(len(bin), timeLimit))
		defer cancel()
		ctx = experimental.WithCompilationWorkers(ctx, min(max(runtime.GOMAXPROCS(0), 2), 4))
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, err
	}
	if mem, ok := cm.ExportedMemories()["memory"]; ok && uint64(mem.Min())*wasmabi.PageSize > wazeroMemoryBytes {
		_ = cm.Close(context.Background())
		return nil, fmt.Errorf("its memory starts at %d pages, the full 4 GiB, which wazero cannot run (at most %d pages; Wasmtime can)", mem.Min(), wazeroMemoryBytes/wasmabi.PageSize)
	}
	return &wazeroModule{rt: rt, cm: cm, funcs: cm.ExportedFunctions(), limit: timeLimit, stop: stop, memory: memoryLimit}, nil
}

// wazeroModule is a module compiled by wazero.
type wazeroModule struct {
	rt     wazero.Runtime
	cm     wazero.CompiledModule
	funcs  map[string]api.FunctionDefinition
	limit  time.Duration
	stop   bool   // compiled with wasmabi.Interruptible's checks
	memory uint64 // the memory limit in bytes, or 0 for none
}

func (m *wazeroModule) Func(name string) (params, results []byte, ok bool) {
	d, ok := m.funcs[name]
	if !ok {
		return nil, nil, false
	}
	return d.ParamTypes(), d.ResultTypes(), true
}

func (m *wazeroModule) Memory() (max uint64, hasMax, ok bool) {
	mem, ok := m.cm.ExportedMemories()["memory"]
	if !ok {
		return 0, false, false
	}
	n, hasMax := mem.Max()
	return uint64(n), hasMax, true
}

func (m *wazeroModule) Imports() []string {
	var names []string
	for _, d := range m.cm.ImportedFunctions() {
		mod, name, _ := d.Import()
		names = append(names, mod+"."+name)
	}
	for _, d := range m.cm.ImportedMemories() {
		mod, name, _ := d.Import()
		names = append(names, mod+"."+name)
	}
	return names
}

func (m *wazeroModule) Instantiate() (engine.Instance, error) { return m.instantiate(0) }

// instantiate makes an instance whose memory has room for spare bytes
// past its end, as a Go slice's capacity: growing into it copies
// nothing (see instantiate in user.go).
func (m *wazeroModule) instantiate(spare uint64) (engine.Instance, error) {
	if err := m.fits(spare); err != nil {
		return nil, err
	}
	var mod api.Module
	var lm *linearMemory
	// An empty name lets any number of instances of one module coexist.
	err := bounded(m.limit, func(ctx context.Context, pause func() func()) (err error) {
		ctx = experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(func(capacity, max uint64) experimental.LinearMemory {
			defer pause()() // the host's allocation is not the module's time
			max = m.capped(max)
			lm = &linearMemory{buf: make([]byte, 0, min(capacity+spare, max)), limit: max}
			return lm
		}))
		mod, err = m.rt.InstantiateModule(ctx, m.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		return err
	})
	if err != nil {
		return nil, err
	}
	in := &wazeroInstance{mod: mod, mem: mod.Memory(), lm: lm}
	if in.mem == nil || lm == nil {
		_ = mod.Close(context.Background())
		return nil, fmt.Errorf("its export %q is not a memory", "memory")
	}
	if m.limit > 0 {
		// The watchdog stops a call by the stop global, or by closing
		// the module for wazero's checks to see.
		stop := func() { _ = mod.CloseWithExitCode(context.Background(), 1) }
		if m.stop {
			g, ok := mod.ExportedGlobal(wasmabi.StopGlobal).(api.MutableGlobal)
			if !ok {
				_ = mod.Close(context.Background())
				return nil, fmt.Errorf("its export %q is not a mutable global", wasmabi.StopGlobal)
			}
			stop = func() { g.Set(1) }
		}
		in.watch = newWatchdog(stop, m.limit)
		lm.stopped = &in.watch.fired
	}
	return in, nil
}

func (m *wazeroModule) Close() error { return m.cm.Close(context.Background()) }

// wazeroInstance is an instance of a wazeroModule.
type wazeroInstance struct {
	mod   api.Module
	mem   api.Memory
	lm    *linearMemory // mem's bytes: a call reads their length
	watch *watchdog     // nil without a time limit
}

func (in *wazeroInstance) Call(name string, args ...uint32) (uint32, error) {
	fn := in.mod.ExportedFunction(name)
	if fn == nil {
		return 0, fmt.Errorf("no exported function %q", name)
	}
	params := make([]uint64, len(args))
	for i, a := range args {
		params[i] = api.EncodeU32(a)
	}
	// Under a time limit, the watchdog stops a set-up call as it stops
	// a kernel's.
	in.watch.begin()
	res, err := fn.Call(context.Background(), params...)
	if err = in.watch.end(err); err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("%s returned %d results, want 1", name, len(res))
	}
	return api.DecodeU32(res[0]), nil
}

// Memory returns the instance's memory: the slice wazero's memory holds,
// whose length, unlike api.Memory's Size, a memory of 4 GiB does not wrap
// to 0.
func (in *wazeroInstance) Memory() []byte { return in.lm.buf }

// Export calls the export through CallWithStack, with its arguments and
// result on a stack of its own, so that nothing is allocated; under a time
// limit, it counts calls for the watchdog.
func (in *wazeroInstance) Export(name string, nargs int) (func(a, b uint32) (int64, error), error) {
	fn := in.mod.ExportedFunction(name)
	if fn == nil {
		return nil, fmt.Errorf("no exported function %q", name)
	}
	stack := make([]uint64, max(nargs, 1))
	lm, w, ctx := in.lm, in.watch, context.Background()
	size := len(lm.buf)
	return func(a, b uint32) (int64, error) {
		stack[0] = api.EncodeU32(a)
		if nargs > 1 {
			stack[1] = api.EncodeU32(b)
		}
		w.begin()
		if err := w.end(fn.CallWithStack(ctx, stack)); err != nil {
			return 0, err
		}
		if s := len(lm.buf); s != size {
			return 0, fmt.Errorf("grew the module's memory from %d to %d bytes after its regions were reserved", size, s)
		}
		return int64(stack[0]), nil
	}, nil
}

func (in *wazeroInstance) Close() error {
	if in.watch != nil {
		in.watch.stop()
	}
	return in.mod.Close(context.Background())
}

// Abandon closes the instance: its memory is a Go slice, which any view
// of it keeps alive by itself.
func (in *wazeroInstance) Abandon() { _ = in.Close() }

// wazeroMemoryBytes is the most memory a module has on wazero: 4 GiB,
// the most of a wasm32 memory, less one page. wazero's code makes every
// access of a memory of the full 4 GiB out of bounds, so a module
// grows to this and no further (memory.grow returns -1), and one that
// starts at 4 GiB is refused.
const wazeroMemoryBytes = (1<<16 - 1) * wasmabi.PageSize

// fits checks that the machine can hold the memory an instance starts
// with, the module's minimum and spare bytes past it (see instantiate):
// wazero's memory is a Go slice, and an allocation the system refuses
// ends the process, where this is an error wrapping ErrNoMemory.
func (m *wazeroModule) fits(spare uint64) error {
	d, ok := m.cm.ExportedMemories()["memory"]
	if !ok {
		return nil // instantiating says what is wrong
	}
	if err := sysmem.Check(min(uint64(d.Min())*wasmabi.PageSize+spare, m.capped(wazeroMemoryBytes))); err != nil {
		return fmt.Errorf("the instance's memory: %w", err)
	}
	return nil
}

// capped returns max bytes of memory capped by the memory limit and by
// what a wazero memory holds.
func (m *wazeroModule) capped(max uint64) uint64 {
	if m.memory > 0 {
		max = min(max, m.memory)
	}
	return min(max, wazeroMemoryBytes)
}

// linearMemory is the linear memory of an instance: a Go slice, as
// wazero's own is, that refuses to grow past limit bytes (the module's
// maximum, or the memory limit if lower), so that memory.grow returns -1.
// Its slice is the one wazero's memory holds, so that a call can see the
// memory grow by reading a field, with no call through api.Memory.
type linearMemory struct {
	buf   []byte
	limit uint64
	// stopped, under a time limit, is set once the watchdog stopped a
	// call: the memory then grows no more. Growing copies the memory,
	// which nothing interrupts, so a module growing it in a loop would
	// otherwise run on for seconds, copying gigabytes, until the
	// watchdog's stop is seen.
	stopped *atomic.Bool
}

// Reallocate returns the memory grown to size bytes, or nil past the
// limit or once the watchdog stopped a call. A larger buffer is a new
// slice, with room to spare as append leaves, so that a module growing
// its memory page by page does not copy all of it each time; views of
// the old one keep it alive, as they do wazero's own.
func (m *linearMemory) Reallocate(size uint64) []byte {
	switch {
	case size > m.limit || m.stopped != nil && m.stopped.Load():
		return nil
	case size > uint64(cap(m.buf)):
		c := min(max(size, uint64(cap(m.buf))*5/4), m.limit)
		if sysmem.Check(c) != nil {
			// The room to spare first, then the memory itself: what the
			// system cannot hold, the module sees as a failed grow.
			if c = size; sysmem.Check(c) != nil {
				return nil
			}
		}
		b := make([]byte, size, c)
		copyPreemptibly(b, m.buf)
		m.buf = b
	default:
		m.buf = m.buf[:size]
	}
	return m.buf
}

// copyPreemptibly copies src into dst a MiB at a time, each by a call of
// its own, where the goroutine can be preempted: a memory of gigabytes
// copied in one go cannot be, and a collection waiting to stop the
// goroutine signals it without end meanwhile (a copy of 2 GiB took 30 s
// so, and 12 s a MiB at a time, on a virtual machine's page faults).
func copyPreemptibly(dst, src []byte) {
	for len(src) > 0 {
		n := copyChunk(dst, src)
		dst, src = dst[n:], src[n:]
	}
}

//go:noinline
func copyChunk(dst, src []byte) int { return copy(dst, src[:min(len(src), 1<<20)]) }

// Free leaves the slice to the garbage collector, which keeps it for as
// long as any view of it is held.
func (m *linearMemory) Free() {}

// bounded runs call, the instantiation of a module, with a context that
// ends after about limit if it is positive (as the watchdog's limit: at
// least watchSamples milliseconds): for a module compiled with wazero's
// own checks, the module's runtime then stops a start function and
// closes the module, and bounded fails with an error wrapping
// context.DeadlineExceeded. (wasmabi.Interruptible leaves a module with
// a start function to those checks.) With no limit the call is not
// bounded. The time between call's pause and the call of the function
// it returns does not count: the host allocating the module's memory,
// which clearing a large one makes long.
func bounded(limit time.Duration, call func(ctx context.Context, pause func() (resume func())) error) error {
	if limit <= 0 {
		return call(context.Background(), func() func() { return func() {} })
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	limit = watchSamples * max(limit/watchSamples, time.Millisecond)
	expire := func() { cancel(context.DeadlineExceeded) }
	timer := time.AfterFunc(limit, expire)
	start, spent := time.Now(), time.Duration(0)
	pause := func() func() {
		if !timer.Stop() {
			return func() {} // expired: the context is done
		}
		spent += time.Since(start)
		return func() {
			start = time.Now()
			timer = time.AfterFunc(limit-spent, expire)
		}
	}
	err := call(ctx, pause)
	timer.Stop()
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
	}
	return err
}

// watchdog stops a call of its instance that runs past a time limit. The
// caller counts calls in seq (odd while one runs), which costs two atomic
// adds per call and no clock reads; the watchdog samples seq a few times
// per limit, and stops the instance if it has seen the same odd value
// for the whole limit: it sets the stop global of wasmabi.Interruptible,
// whose checks then trap, or closes the module, which wazero's own
// checks then see. The instance stays stopped: its next calls fail.
//
// The watchdog claims the call before it stops it, by setting seqStopped
// in seq if seq still holds the call's value: the call has then not
// ended, and its end sees the bit. So a call that ended first is never
// stopped, and one stopped always fails, even if it returned: one that
// ran no check after the stop (a zc_reserve growing memory, whose copy
// nothing interrupts) would leave an instance that traps at its next
// check, and a memory that grows no more.
type watchdog struct {
	seq   atomic.Uint64
	fired atomic.Bool // seqStopped is set: what a growing memory reads
	done  chan struct{}
	once  sync.Once
}

// seqStopped, set in a watchdog's seq, says that it stopped a call.
const seqStopped = 1 << 63

// begin and end bracket a call of w's instance, for any w, nil (no time
// limit) included: end returns the call's error, or the time limit's
// (context.DeadlineExceeded) if the watchdog stopped the call.
func (w *watchdog) begin() {
	if w != nil {
		w.seq.Add(1) // odd: in a call
	}
}

func (w *watchdog) end(err error) error {
	if w != nil {
		if w.seq.Add(1)&seqStopped != 0 {
			if err == nil {
				return fmt.Errorf("%w: stopped, though it returned", context.DeadlineExceeded)
			}
			return fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
		}
	}
	return err
}

// The watchdog samples four times per limit.
const watchSamples = 4

func newWatchdog(stop func(), limit time.Duration) *watchdog {
	w := &watchdog{done: make(chan struct{})}
	go w.run(stop, limit)
	return w
}

func (w *watchdog) run(stop func(), limit time.Duration) {
	t := time.NewTicker(max(limit/watchSamples, time.Millisecond))
	defer t.Stop()
	var last uint64
	same := 0
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
		}
		s := w.seq.Load()
		if s%2 == 1 && s == last {
			same++
		} else {
			same = 0
		}
		last = s
		if same >= watchSamples && w.seq.CompareAndSwap(s, s|seqStopped) {
			w.fired.Store(true)
			stop()
			return
		}
	}
}

func (w *watchdog) stop() { w.once.Do(func() { close(w.done) }) }
