// Package wasmtime runs wasm modules of the zerocall module ABI on
// Wasmtime, through wasmtime-go: the foreign-owned memory pattern
// (pattern 2) on a second engine. New runs the built-in kernels of the
// embedded modules (package wasm/embed, the same bytes package wasm runs
// on wazero) as a zerocall.Instance; Load runs a module of your own
// (user.go), whose Funcs make kernel.Handle and kernel.Batch values in
// the module's memory (zerocall.Module). The package does not depend on
// wazero.
//
// Setting up an instance goes through wasmtime-go's Go API: the engine, the
// compiled module, a store, the instance, its exports and the
// reservations. A kernel call does not, because wasmtime-go's Func.Call
// allocates on every call. It goes through a small C shim instead
// (shim.c), which calls wasmtime_func_call_unchecked on the store's
// context and the export's handle, taken once from wasmtime-go's exported
// Store.Context and Func.AsExtern, with the frame's offset as its one
// argument, and then checks that memory kept its size. The regions and
// frames are views of the module's linear memory, taken once; nothing is
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
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm/embed"
)

// The process-wide engine and each embedded module compiled once.
var (
	engineOf = sync.OnceValue(wt.NewEngine)
	compiled [2]struct {
		once sync.Once
		mod  *wt.Module
		err  error
	}
)

// compile returns m compiled and checked, compiling it on first use.
func compile(v zerocall.Variant) (*wt.Module, error) {
	bin := embed.Bytes(v)
	if bin == nil {
		return nil, zerocall.ErrUnsupported
	}
	c := &compiled[wasmabi.ModuleIndex(v)]
	c.once.Do(func() {
		c.mod, c.err = wt.NewModule(engineOf(), bin)
		if c.err != nil {
			c.err = fmt.Errorf("zerocall: compiling the %v wasm module: %w", v, c.err)
			return
		}
		lookup, memory, imports := describe(c.mod)
		c.err = wasmabi.CheckBuiltins(lookup, memory != nil, imports)
	})
	return c.mod, c.err
}

// describe returns what the ABI's checks need of mod: its functions'
// signatures, its memory named "memory" (nil if none), its imports.
func describe(mod *wt.Module) (wasmabi.Lookup, *wt.MemoryType, []string) {
	funcs := make(map[string]*wt.FuncType)
	var memory *wt.MemoryType
	for _, et := range mod.Exports() {
		switch ty := et.Type(); {
		case ty.FuncType() != nil:
			funcs[et.Name()] = ty.FuncType()
		case ty.MemoryType() != nil && et.Name() == "memory":
			memory = ty.MemoryType()
		}
	}
	var imports []string
	for _, it := range mod.Imports() {
		name := ""
		if n := it.Name(); n != nil {
			name = *n
		}
		imports = append(imports, it.Module()+"."+name)
	}
	lookup := func(name string) (params, results []wasmabi.Type, ok bool) {
		ft, ok := funcs[name]
		if !ok {
			return nil, nil, false
		}
		return types(ft.Params()), types(ft.Results()), true
	}
	return lookup, memory, imports
}

// types converts wasmtime's value types to the ABI's.
func types(ts []*wt.ValType) []wasmabi.Type {
	out := make([]wasmabi.Type, len(ts))
	for i, t := range ts {
		switch t.Kind() {
		case wt.KindI32:
			out[i] = wasmabi.I32
		case wt.KindI64:
			out[i] = wasmabi.I64
		case wt.KindF64:
			out[i] = wasmabi.F64
		default:
			out[i] = wasmabi.Type(0x40 + byte(t.Kind())) // none the ABI uses
		}
	}
	return out
}

// New returns an instance of the module of cfg.Variant (Scalar, or
// SIMD128, which Auto stands for) with regions of cfg's sizes, in a store
// of its own that Close deletes. It takes the same zerocall.Config as
// wasm.New: the modules and their sizes are the same.
func New(cfg zerocall.Config) (*zerocall.Instance, error) {
	capacity, taps, err := backend.Sizes(cfg, wasmabi.MaxCapacity)
	if err != nil {
		return nil, err
	}
	mod, err := compile(cfg.Variant)
	if err != nil {
		return nil, err
	}
	e, b, err := start(mod, capacity, taps)
	if err != nil {
		return nil, err
	}
	return backend.NewInstance(e.hosts(b), b.Regions, e.release())
}

// engine calls the built-in exports of one module instance through the
// shim, one kcall per export.
type engine struct {
	store *wt.Store // owns the instance; kept here so that it stays alive
	k     [wasmabi.NBuiltins]*C.zc_kcall
}

// start instantiates mod in a new store, reserves the frames and regions
// of an instance of the built-ins, and binds the exports to the shim.
func start(mod *wt.Module, capacity, taps int) (*engine, wasmabi.Builtins, error) {
	if !wasmabi.LittleEndian() {
		return nil, wasmabi.Builtins{}, fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	store := wt.NewStore(engineOf())
	e := &engine{store: store}
	inst, mem, err := instantiate(store, mod, 0)
	if err != nil {
		store.Close()
		return nil, wasmabi.Builtins{}, err
	}
	b, err := wasmabi.ReserveBuiltins(capacity, taps, reserver(store, inst, 0),
		func() uint64 { return uint64(mem.DataSize(store)) },
		func() []byte { return unsafe.Slice((*byte)(mem.Data(store)), mem.DataSize(store)) })
	if err != nil {
		store.Close()
		return nil, b, err
	}
	for i, name := range wasmabi.BuiltinNames {
		if e.k[i], err = kcall(store, inst, mem, name, 1, 0); err != nil {
			_ = e.close()
			return nil, b, err
		}
	}
	return e, b, nil
}

// hosts returns the built-in kernels' hosts of the instance laid out as
// b says: each the host of a handle of its own (see owned), on the
// instance's store, which the instance deletes.
func (e *engine) hosts(b wasmabi.Builtins) (hosts [backend.N]regionset.Host) {
	for i, k := range backend.Kernels {
		hosts[i] = &owned{f: &Func{k: k, export: wasmabi.BuiltinNames[i]}, store: e.store, k: e.k[i],
			fr: b.Frames[i], frame: b.Offs[i], shared: true}
	}
	return hosts
}

// instantiate makes an instance of mod in store, checks its ABI version,
// and returns it with its memory. The start function and zc_abi_version
// are bounded by limit if it is positive (see bounded).
func instantiate(store *wt.Store, mod *wt.Module, limit time.Duration) (*wt.Instance, *wt.Memory, error) {
	var inst *wt.Instance
	err := bounded(store, limit, func() (err error) {
		inst, err = wt.NewInstance(store, mod, nil)
		return err
	})
	if errors.Is(err, errSetUpLimit) {
		return nil, nil, fmt.Errorf("%w: instantiating: the start function %v", zerocall.ErrLoad, err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: instantiating: %v", zerocall.ErrLoad, oneLine(err.Error()))
	}
	// The export's signature was checked at load: it returns an int32.
	var v any = int32(0)
	err = bounded(store, limit, func() (err error) {
		v, err = inst.GetFunc(store, "zc_abi_version").Call(store)
		return err
	})
	if err != nil {
		v, err = int32(0), errors.New(oneLine(err.Error()))
	}
	if err := wasmabi.CheckVersion(v.(int32), err); err != nil {
		return nil, nil, err
	}
	// The module's checks found an export named "memory" that is a plain
	// memory (Load refuses a shared one, for which Wasmtime gives no
	// *wt.Memory); one that is not fails here rather than be used.
	var mem *wt.Memory
	if ext := inst.GetExport(store, "memory"); ext != nil {
		mem = ext.Memory()
	}
	if mem == nil {
		return nil, nil, fmt.Errorf("%w: its export %q is not a plain memory", zerocall.ErrLoad, "memory")
	}
	return inst, mem, nil
}

// reserver returns a call of the instance's zc_reserve, each bounded by
// limit if it is positive (see bounded).
func reserver(store *wt.Store, inst *wt.Instance, limit time.Duration) func(size, align uint32) (uint32, error) {
	fn := inst.GetFunc(store, "zc_reserve")
	return func(size, align uint32) (uint32, error) {
		var v any
		err := bounded(store, limit, func() (err error) {
			v, err = fn.Call(store, int32(size), int32(align))
			return err
		})
		if err != nil {
			return 0, errors.New(oneLine(err.Error()))
		}
		return uint32(v.(int32)), nil
	}
}

// errSetUpLimit is the failure of a call during set-up that ran past the
// time limit.
var errSetUpLimit = errors.New("ran past the time limit")

// bounded runs call, a call into a module in store during set-up, under
// the epoch deadline of a kernel call if limit is positive (the store's
// engine then has epoch interruption, and the library's ticker advances
// its epoch): a call still running four to five ticks after it started
// traps, and bounded fails with errSetUpLimit. With no limit the call is
// not bounded.
func bounded(store *wt.Store, limit time.Duration, call func() error) error {
	if limit <= 0 {
		return call()
	}
	store.SetEpochDeadline(watchSamples + 1)
	err := call()
	var trap *wt.Trap
	if errors.As(err, &trap) {
		if code := trap.Code(); code != nil && *code == wt.Interrupt {
			return fmt.Errorf("%w of %v during set-up", errSetUpLimit, limit)
		}
	}
	return err
}

// kcall binds export name of inst, and its memory as it is now, to a new
// shim kcall; deadline is the epoch deadline of each call (0: none).
func kcall(store *wt.Store, inst *wt.Instance, mem *wt.Memory, name string, nargs int, deadline uint64) (*C.zc_kcall, error) {
	fn := inst.GetFunc(store, name)
	if fn == nil {
		return nil, fmt.Errorf("%w: no exported function %q", zerocall.ErrLoad, name)
	}
	// Store.Context returns wasmtime-go's cgo type for wasmtime_context_t,
	// which is this package's C.wasmtime_context_t under another Go name:
	// the same opaque C struct.
	fx, mx := fn.AsExtern(), mem.AsExtern()
	k := C.zc_kcall_new((*C.wasmtime_context_t)(unsafe.Pointer(store.Context())),
		(*C.wasmtime_extern_t)(unsafe.Pointer(&fx)), C.size_t(nargs), (*C.wasmtime_extern_t)(unsafe.Pointer(&mx)), C.uint64_t(deadline))
	if k == nil {
		return nil, errs.NoMemory
	}
	return k, nil
}

// run calls the export of k with the frame (or a batch's items) at
// offset at and, for a batch, its count n, and returns what the kernel
// returned; name is the export's, for errors. A trap, or memory grown by
// the call, leaves the instance's state unknown: the error wraps
// ErrBroken.
func run(k *C.zc_kcall, at uint32, n int32, name string) (int64, error) {
	if k == nil {
		return 0, zerocall.ErrClosed
	}
	switch C.zc_kcall_run(k, C.uint32_t(at), C.int32_t(n)) {
	case C.ZC_KCALL_OK:
		return *(*int64)(unsafe.Pointer(&k.val[0])), nil
	case C.ZC_KCALL_GREW:
		return 0, fmt.Errorf("%w: wasmtime %s grew the module's memory after its regions were reserved", errs.Broken, name)
	}
	msg := oneLine(C.GoStringN((*C.char)(unsafe.Pointer(k.msg.data)), C.int(k.msglen)))
	C.zc_kcall_clear(k)
	return 0, fmt.Errorf("%w: wasmtime %s: %s", errs.Broken, name, msg)
}

// freeKcalls frees the shim's part of the instance.
func (e *engine) freeKcalls() {
	for i, k := range e.k {
		C.zc_kcall_free(k)
		e.k[i] = nil
	}
}

// close frees the shim's part and deletes the store, and with it the
// instance and its memory. It may be called more than once.
func (e *engine) close() error {
	e.freeKcalls()
	e.store.Close()
	return nil
}

// abandoned keeps the stores of instances dropped without Close alive for
// the rest of the process. Their memory is Wasmtime's, not the garbage
// collector's, and views of their regions may still be held: freeing it
// would leave them pointing at freed memory. zerocall.Leaked counts each.
var abandoned struct {
	sync.Mutex
	stores []*wt.Store
}

// abandon keeps store for good.
func abandon(store *wt.Store) {
	abandoned.Lock()
	abandoned.stores = append(abandoned.stores, store)
	abandoned.Unlock()
}

// release says how an instance gives its store back: Close deletes it;
// the backstop frees only the shim's part, which no view reaches, and
// keeps the store, and with it the module's memory, for good.
func (e *engine) release() backend.Release {
	return backend.Release{Close: e.close, Unreachable: func() {
		e.freeKcalls()
		abandon(e.store)
	}}
}

// oneLine returns Wasmtime's multi-line message of a failure on one line,
// without the native stack backtrace, whose frames have no names.
func oneLine(msg string) string {
	msg, _, _ = strings.Cut(msg, "Stack backtrace:")
	return strings.Join(strings.Fields(msg), " ")
}

// noop returns a function that calls the module's empty kernel export
// through the shim, as every kernel call goes: the floor of any call into
// wasm on Wasmtime, against which the kernels' fixed costs are measured.
// close deletes the instance's store.
func noop(v zerocall.Variant) (call func() error, close func() error, err error) {
	mod, err := compile(v)
	if err != nil {
		return nil, nil, err
	}
	store := wt.NewStore(engineOf())
	inst, mem, err := instantiate(store, mod, 0)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	e := &engine{store: store}
	if e.k[wasmabi.Noop], err = kcall(store, inst, mem, "noop", 1, 0); err != nil {
		store.Close()
		return nil, nil, err
	}
	return func() error { _, err := run(e.k[wasmabi.Noop], 0, 0, "noop"); return err }, e.close, nil
}
