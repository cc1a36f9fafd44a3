// Package wasmtime runs modules of the zerocall module ABI on Wasmtime,
// through wasmtime-go: the foreign-owned memory pattern (pattern 2) on a
// second runtime. It is the runtime only (package wasm/engine's
// interface, Engine); package wasm does the rest for it, as for wazero,
// so the API is package wasm's: with Engine as zerocall.Config.Engine,
// wasm.New runs the built-in kernels of the embedded modules (package
// wasm/embed, the same bytes as on wazero) on Wasmtime, and wasm.Load a
// module of your own. The package does not depend on wazero.
//
// Setting up an instance goes through wasmtime-go's Go API: the engine, the
// compiled module, a store, the instance, its exports and the
// reservations. A kernel call does not, because wasmtime-go's Func.Call
// allocates on every call. It goes through a small C shim instead
// (shim.c), which calls wasmtime_func_call_unchecked on the store's
// context and the export's handle, taken once from wasmtime-go's exported
// Store.Context and Func.AsExtern, with the frame's offset as its one
// argument, and then checks that memory kept its size. Nothing is
// allocated per call.
//
// The shim declares the few functions and types of the Wasmtime C API it
// uses in capi.h, checked against wasmtime-go's own wasmtime.h by make
// test, so the package builds with no environment set: wasmtime-go links
// the library.
package wasmtime

// #include "shim.h"
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/wasm/engine"
)

// Engine is Wasmtime as a runtime of package wasm, for
// zerocall.Config.Engine:
//
//	lib, err := wasm.Load(bin, zerocall.Config{Engine: wasmtime.Engine})
//
// Each instance, of the built-ins (wasm.New) or of a module of your own
// (a handle or a batch of a Library's Func), lives in a store of its own
// that its Close deletes. With cfg.TimeLimit set, a module of your own
// runs on a Wasmtime engine of its own with epoch interruption: a ticker
// advances the epoch four times per limit, and a call that has not
// returned four to five ticks after it started traps, in set-up as in a
// kernel call. The ticker stops when the Library and every handle and
// batch made from it are closed, or dropped and collected: handles made
// before Library.Close keep their limit. A trap is told from a passed deadline by its code, not
// its message, which names the module's functions; a call that ran past
// its deadline where Wasmtime does not look (a run of bulk memory
// instructions) fails after the fact. cfg.MemoryLimit is held by each
// instance's store, whose limiter refuses to grow memory past it; each
// memory reserves its whole 4 GiB range of addresses, and an address
// space that cannot hold one more fails with zerocall.ErrNoMemory. Wasm
// runs on the calling thread's stack, of which it may use a quarter
// (ulimit -s), at most 512 KiB: a deeper recursion traps.
var Engine engine.Engine = &wasmtimeEngine{}

// wasmtimeEngine is Wasmtime as an engine.Engine.
type wasmtimeEngine struct{}

// engineOf is the process-wide Wasmtime engine of modules without a time
// limit.
var engineOf = sync.OnceValue(func() *wt.Engine { return wt.NewEngineWithConfig(newConfig()) })

// newConfig returns the configuration of every engine: wasm's stack
// within the thread's (see wasmStack).
func newConfig() *wt.Config {
	c := wt.NewConfig()
	c.SetMaxWasmStack(wasmStack())
	return c
}

// defaultWasmStack is Wasmtime's own bound on the stack wasm code uses.
const defaultWasmStack = 512 << 10

func (*wasmtimeEngine) Name() string { return "wasmtime" }

func (*wasmtimeEngine) Compile(bin []byte, limit time.Duration, memoryLimit uint64) (engine.Module, error) {
	m := &module{engine: engineOf(), limit: limit, memoryLimit: memoryLimit, funcs: make(map[string]*wt.FuncType)}
	if limit > 0 {
		c := newConfig()
		c.SetEpochInterruption(true)
		m.engine = wt.NewEngineWithConfig(c)
	}
	mod, err := wt.NewModule(m.engine, bin)
	if err != nil {
		return nil, errors.New(oneLine(err.Error()))
	}
	m.mod = mod
	for _, et := range mod.Exports() {
		switch ty := et.Type(); {
		case ty.FuncType() != nil:
			m.funcs[et.Name()] = ty.FuncType()
		case ty.MemoryType() != nil && et.Name() == "memory":
			m.memory = ty.MemoryType()
		}
	}
	if limit > 0 {
		m.ticker = &ticker{done: make(chan struct{})}
		m.ticks = new(atomic.Uint64)
		go tick(m.engine, limit/watchSamples, m.ticker.done, m.ticks)
		// A Library dropped without Close, with every instance of it,
		// stops its ticker too: the goroutine holds the engine, not m.
		runtime.AddCleanup(m, (*ticker).stop, m.ticker)
	}
	return m, nil
}

// module is a module compiled by Wasmtime.
type module struct {
	engine      *wt.Engine
	mod         *wt.Module
	limit       time.Duration
	memoryLimit uint64 // bytes, or 0 for none
	funcs       map[string]*wt.FuncType
	memory      *wt.MemoryType // nil if there is no memory named "memory"
	ticker      *ticker        // the epoch ticker, with a time limit
	ticks       *atomic.Uint64 // the epochs it advanced, for calls the epoch cannot stop
	once        sync.Once

	// The ticker runs until the module is closed and no instance of it
	// is left: handles made before Library.Close keep their time limit.
	mu     sync.Mutex
	live   int  // instances not closed or abandoned
	closed bool // Close was called
}

// ticker stops an epoch ticker, once, by closing done.
type ticker struct {
	done chan struct{}
	once sync.Once
}

func (t *ticker) stop() { t.once.Do(func() { close(t.done) }) }

// watchSamples is how many epochs a time limit spans.
const watchSamples = 4

// tick advances e's epoch every period until done is closed, and counts
// the epochs in ticks.
func tick(e *wt.Engine, period time.Duration, done chan struct{}, ticks *atomic.Uint64) {
	t := time.NewTicker(max(period, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			e.IncrementEpoch()
			ticks.Add(1)
		}
	}
}

// overran reports whether a kernel call that started at epoch t0 ran
// past its deadline, watchSamples+1 epochs, without being stopped:
// Wasmtime checks the epoch at function entries and loop headers alone,
// and a run of bulk memory instructions (memory.fill, memory.copy), each
// up to 4 GiB, has neither. Such a call fails after the fact, as wazero's
// does. (Set-up, mostly the host's own work, is not judged so.)
func (in *instance) overran(t0 uint64) bool {
	return in.limit > 0 && in.m != nil && in.m.ticks.Load()-t0 > watchSamples+1
}

// epoch returns the module's count of epochs, for overran (0 without a
// time limit).
func (in *instance) epoch() uint64 {
	if in.limit > 0 && in.m != nil {
		return in.m.ticks.Load()
	}
	return 0
}

func (m *module) Func(name string) (params, results []byte, ok bool) {
	ft, ok := m.funcs[name]
	if !ok {
		return nil, nil, false
	}
	return types(ft.Params()), types(ft.Results()), true
}

// kindV128 is the kind of v128 in Wasmtime's C API (WASMTIME_V128),
// which wasmtime-go does not name.
const kindV128 wt.ValKind = 4

// types converts Wasmtime's value types to the binary format's numbers,
// those the ABI does not use included, so that an export of a wrong type
// is named as on any other runtime.
func types(ts []*wt.ValType) []byte {
	out := make([]byte, len(ts))
	for i, t := range ts {
		switch t.Kind() {
		case wt.KindI32:
			out[i] = 0x7f
		case wt.KindI64:
			out[i] = 0x7e
		case wt.KindF32:
			out[i] = 0x7d
		case wt.KindF64:
			out[i] = 0x7c
		case kindV128:
			out[i] = 0x7b
		case wt.KindFuncref:
			out[i] = 0x70
		case wt.KindExternref:
			out[i] = 0x6f
		default:
			out[i] = 0x40 + byte(t.Kind()) // none that gets here: Load or Wasmtime refuses it first
		}
	}
	return out
}

func (m *module) Memory() (max uint64, hasMax, ok bool) {
	if m.memory == nil {
		return 0, false, false
	}
	hasMax, max = m.memory.Maximum()
	return max, hasMax, true
}

func (m *module) Imports() []string {
	var names []string
	for _, it := range m.mod.Imports() {
		name := ""
		if n := it.Name(); n != nil {
			name = *n
		}
		names = append(names, it.Module()+"."+name)
	}
	return names
}

func (m *module) Close() error {
	m.once.Do(func() {
		m.mod.Close()
		m.mu.Lock()
		m.closed = true
		idle := m.live == 0
		m.mu.Unlock()
		if idle {
			m.stop()
		}
	})
	return nil
}

// acquire counts an instance in the making; release, one closed or
// abandoned (or that failed), and stops the ticker after the last one of
// a closed module.
func (m *module) acquire() {
	m.mu.Lock()
	m.live++
	m.mu.Unlock()
}

func (m *module) release() {
	m.mu.Lock()
	m.live--
	idle := m.closed && m.live == 0
	m.mu.Unlock()
	if idle {
		m.stop()
	}
}

// stop stops the epoch ticker, if the module has one.
func (m *module) stop() {
	if m.ticker != nil {
		m.ticker.stop()
	}
}

// Instantiate makes an instance of the module in a store of its own,
// which Close deletes, and whose limiter holds the memory limit.
func (m *module) Instantiate() (engine.Instance, error) {
	m.acquire()
	in := &instance{m: m, store: wt.NewStore(m.engine), limit: m.limit}
	if m.memoryLimit > 0 {
		in.store.Limiter(int64(m.memoryLimit), -1, -1, -1, -1)
	}
	err := in.bounded(func() (err error) {
		in.inst, err = wt.NewInstance(in.store, m.mod, nil)
		return err
	})
	if err != nil {
		in.Close()
		if msg := err.Error(); strings.Contains(msg, "mmap failed") || strings.Contains(msg, "os error 12") {
			// Each memory reserves its whole 4 GiB range of addresses (and
			// guard pages): an address space that cannot hold one more,
			// under ulimit -v or after tens of thousands of instances.
			return nil, fmt.Errorf("%w: Wasmtime could not reserve the instance's memory: %s", zerocall.ErrNoMemory, msg)
		}
		return nil, err
	}
	// The module's checks found an export named "memory" that is a plain
	// memory (Load refuses a shared one, for which Wasmtime gives no
	// *wt.Memory); one that is not fails here rather than be used.
	if ext := in.inst.GetExport(in.store, "memory"); ext != nil {
		in.mem = ext.Memory()
	}
	if in.mem == nil {
		in.Close()
		return nil, fmt.Errorf("its export %q is not a plain memory", "memory")
	}
	return in, nil
}

// instance is an instance of a module, with the store that owns it and
// the shim's calls of its exports.
type instance struct {
	m      *module
	store  *wt.Store
	inst   *wt.Instance
	mem    *wt.Memory
	limit  time.Duration
	kcalls []*C.zc_kcall
	closed bool
}

// bounded runs call, a call into the instance during set-up, under the
// epoch deadline of a kernel call if the module has a time limit (its
// engine then has epoch interruption, and the module's ticker advances
// its epoch): a call still running four to five ticks after it started
// traps, and bounded fails with an error wrapping
// context.DeadlineExceeded. Other failures come on one line.
func (in *instance) bounded(call func() error) error {
	if in.limit > 0 {
		in.store.SetEpochDeadline(watchSamples + 1)
	}
	err := call()
	if err == nil {
		return nil
	}
	var trap *wt.Trap
	if errors.As(err, &trap) {
		if code := trap.Code(); code != nil {
			if in.limit > 0 && *code == wt.Interrupt {
				return context.DeadlineExceeded
			}
			return errors.New(trapMessage(int(*code)))
		}
	}
	return errors.New(oneLine(err.Error()))
}

func (in *instance) Call(name string, args ...uint32) (uint32, error) {
	fn := in.inst.GetFunc(in.store, name)
	if fn == nil {
		return 0, fmt.Errorf("no exported function %q", name)
	}
	params := make([]any, len(args))
	for i, a := range args {
		params[i] = int32(a)
	}
	var v any
	err := in.bounded(func() (err error) {
		v, err = fn.Call(in.store, params...)
		return err
	})
	if err != nil {
		return 0, err
	}
	r, ok := v.(int32)
	if !ok {
		return 0, fmt.Errorf("%s returned %T, want an i32", name, v)
	}
	return uint32(r), nil
}

// Memory returns the instance's memory. Wasmtime reserves a 32-bit
// memory's whole address range up front, so its base never moves (Load
// refuses any other memory: a 64-bit one may move when it grows); a
// module that grows memory anyway is caught by the shim after the call.
func (in *instance) Memory() []byte {
	return unsafe.Slice((*byte)(in.mem.Data(in.store)), in.mem.DataSize(in.store))
}

// Export binds the export to a new shim kcall, with the memory as it is
// now, and returns a call through it.
func (in *instance) Export(name string, nargs int) (func(a, b uint32) (int64, error), error) {
	fn := in.inst.GetFunc(in.store, name)
	if fn == nil {
		return nil, fmt.Errorf("no exported function %q", name)
	}
	var deadline uint64
	if in.limit > 0 {
		deadline = watchSamples + 1
	}
	// Store.Context returns wasmtime-go's cgo type for wasmtime_context_t,
	// which is this package's C.wasmtime_context_t under another Go name:
	// the same opaque C struct.
	fx, mx := fn.AsExtern(), in.mem.AsExtern()
	k := C.zc_kcall_new((*C.wasmtime_context_t)(unsafe.Pointer(in.store.Context())),
		(*C.wasmtime_extern_t)(unsafe.Pointer(&fx)), C.size_t(nargs), (*C.wasmtime_extern_t)(unsafe.Pointer(&mx)), C.uint64_t(deadline))
	if k == nil {
		return nil, zerocall.ErrNoMemory
	}
	in.kcalls = append(in.kcalls, k)
	return func(a, b uint32) (int64, error) {
		if in.closed {
			return 0, zerocall.ErrClosed
		}
		return in.run(k, a, b)
	}, nil
}

// run calls the export of k with the frame (or a batch's items) at
// offset a and, for a batch, its count b, and returns what the kernel
// returned.
func (in *instance) run(k *C.zc_kcall, a, b uint32) (int64, error) {
	t0 := in.epoch()
	switch C.zc_kcall_run(k, C.uint32_t(a), C.int32_t(int32(b))) {
	case C.ZC_KCALL_OK:
		if in.overran(t0) {
			return 0, context.DeadlineExceeded
		}
		return *(*int64)(unsafe.Pointer(&k.val[0])), nil
	case C.ZC_KCALL_GREW:
		return 0, errors.New("grew the module's memory after its regions were reserved")
	case C.ZC_KCALL_INTERRUPTED:
		C.zc_kcall_clear(k)
		return 0, context.DeadlineExceeded
	}
	if k.trap >= 0 {
		return 0, errors.New(trapMessage(int(k.trap)))
	}
	msg := oneLine(C.GoStringN((*C.char)(unsafe.Pointer(k.msg.data)), C.int(k.msglen)))
	C.zc_kcall_clear(k)
	return 0, errors.New(msg)
}

// trapMessages are Wasmtime's words for its traps, by code.
var trapMessages = []string{
	"call stack exhausted", "out of bounds memory access", "misaligned memory access",
	"undefined element: out of bounds table access", "uninitialized element",
	"indirect call type mismatch", "integer overflow", "integer divide by zero",
	"invalid conversion to integer", "wasm `unreachable` instruction executed", "interrupt",
	"degenerate component adapter called", "all fuel consumed", "atomic wait on non-shared memory",
	"null reference", "out of bounds array access", "allocation too large", "cast failure",
	"cannot enter component instance", "async-lifted export failed to produce a result",
	"pulley opcode disabled at compile time",
}

// trapMessage is the error message of a trap of code c: its words alone,
// without the backtrace of every wasm frame that Wasmtime's message
// carries, whose size (a deep recursion's, with long function names) the
// module chooses.
func trapMessage(c int) string {
	if c < len(trapMessages) {
		return "wasm trap: " + trapMessages[c]
	}
	return fmt.Sprintf("wasm trap: code %d", c)
}

// freeKcalls frees the shim's part of the instance, which can then no
// longer be called, and releases it from its module.
func (in *instance) freeKcalls() {
	if !in.closed {
		in.m.release()
		// A closed instance no longer holds its module: a handle kept
		// after its Close must not keep the module's ticker running.
		in.m = nil
	}
	in.closed = true
	for _, k := range in.kcalls {
		C.zc_kcall_free(k)
	}
	in.kcalls = nil
}

// Close frees the shim's part and deletes the store, and with it the
// instance and its memory.
func (in *instance) Close() error {
	in.freeKcalls()
	in.store.Close()
	return nil
}

// Abandon frees only the shim's part, which no view reaches, and keeps
// the store, and with it the module's memory, for good.
func (in *instance) Abandon() {
	in.freeKcalls()
	abandoned.Lock()
	abandoned.stores = append(abandoned.stores, in.store)
	abandoned.Unlock()
}

// abandoned keeps the stores of instances dropped without Close alive for
// the rest of the process. Their memory is Wasmtime's, not the garbage
// collector's, and views of their regions may still be held: freeing it
// would leave them pointing at freed memory. zerocall.Leaked counts each.
var abandoned struct {
	sync.Mutex
	stores []*wt.Store
}

// oneLine returns Wasmtime's multi-line message of a failure on one line,
// without the native stack backtrace, whose frames have no names.
func oneLine(msg string) string {
	msg, _, _ = strings.Cut(msg, "Stack backtrace:")
	// A message is cut to its first and last bytes if long: what Wasmtime
	// says comes first, its cause last.
	const most = 2048
	if len(msg) > most {
		msg = strings.ToValidUTF8(msg[:most/4]+" … "+msg[len(msg)-3*most/4:], "")
	}
	return strings.Join(strings.Fields(msg), " ")
}
