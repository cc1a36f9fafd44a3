// Package wasmtime runs the zerocall wasm modules (the same ones package
// github.com/zerocall/zerocall/wasm runs on wazero) on Wasmtime, through
// wasmtime-go: the foreign-owned memory pattern (pattern 2) on a second
// engine.
//
// Setting up an instance goes through wasmtime-go's Go API: the engine, the
// compiled module, a store, the instance, its exports and zc_init. A
// kernel call does not, because wasmtime-go's Func.Call allocates on every
// call. It goes through a small C shim instead (shim.c), which calls
// wasmtime_func_call_unchecked on the store's context and the export's
// handle, taken once from wasmtime-go's exported Store.Context and
// Func.AsExtern, with the arguments and results in a buffer in C memory
// owned by the instance. The regions are []float64 views of the module's
// linear memory, taken once after zc_init; the module never grows its
// memory after that. Nothing is allocated per call.
//
// The shim declares the few functions and types of the Wasmtime C API it
// uses in capi.h, checked against wasmtime-go's own wasmtime.h by make
// test, so the package builds with no environment set: wasmtime-go links
// the library.
package wasmtime

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/backend"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm"
)

// The process-wide engine and each module compiled once.
var (
	engineOf = sync.OnceValue(wt.NewEngine)
	compiled [2]struct {
		once sync.Once
		mod  *wt.Module
		err  error
	}
)

// compile returns m compiled, compiling it on first use.
func compile(m wasm.Module) (*wt.Module, error) {
	bin, err := wasm.Binary(m)
	if err != nil {
		return nil, err
	}
	c := &compiled[m]
	c.once.Do(func() {
		c.mod, c.err = wt.NewModule(engineOf(), bin)
		if c.err != nil {
			c.err = fmt.Errorf("zerocall: compiling the %v wasm module: %w", m, c.err)
		}
	})
	return c.mod, c.err
}

// New returns an instance of cfg.Module with regions of cfg's sizes, in a
// store of its own that Close deletes. It takes the configuration of
// package wasm: the modules and their sizes are the same.
func New(cfg wasm.Config) (*zerocall.Instance, error) {
	capacity, taps, err := wasmabi.Sizes(cfg.Capacity, cfg.Taps)
	if err != nil {
		return nil, err
	}
	mod, err := compile(cfg.Module)
	if err != nil {
		return nil, err
	}
	return instantiate(mod, capacity, taps)
}

// shimIndex maps the exports calls go through the shim to their index
// there.
var shimIndex = map[string]C.int{
	"sum": C.ZC_SUM, "dot": C.ZC_DOT, "axpy": C.ZC_AXPY, "fir": C.ZC_FIR, "matmul": C.ZC_MATMUL, "noop": C.ZC_NOOP,
}

// shimNames are the export names by shim index, for error messages.
var shimNames = func() (names [C.ZC_NFUNCS]string) {
	for name, i := range shimIndex {
		names[i] = name
	}
	return names
}()

// checkExports fails with wasm.ErrModule unless mod has the zerocall
// exports and one memory, whose name it returns.
func checkExports(mod *wt.Module) (memory string, err error) {
	funcs := make(map[string]*wt.FuncType)
	var memories []string
	for _, et := range mod.Exports() {
		switch ty := et.Type(); {
		case ty.FuncType() != nil:
			funcs[et.Name()] = ty.FuncType()
		case ty.MemoryType() != nil:
			memories = append(memories, et.Name())
		}
	}
	err = wasmabi.Check(func(name string) (params, results []wasmabi.Type, ok bool) {
		ft, ok := funcs[name]
		if !ok {
			return nil, nil, false
		}
		return types(ft.Params()), types(ft.Results()), true
	}, len(memories))
	if err != nil {
		return "", err
	}
	return memories[0], nil
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

// instantiate makes one instance of mod, reserves its regions, and takes
// the views of them that every call uses.
func instantiate(mod *wt.Module, capacity, taps int) (*zerocall.Instance, error) {
	e, regions, err := start(mod, capacity, taps)
	if err != nil {
		return nil, err
	}
	in, err := backend.NewInstance(e, regions, e.release())
	if err != nil {
		_ = e.close()
	}
	return in, err
}

// abandoned keeps the stores of instances dropped without Close alive for
// the rest of the process. Their memory is Wasmtime's, not the garbage
// collector's, and views of their regions may still be held: freeing it
// would leave them pointing at freed memory. zerocall.Leaked counts each.
var abandoned struct {
	sync.Mutex
	stores []*wt.Store
}

// release says how an instance gives its store back: Close deletes it;
// the backstop frees only the shim's buffer, which no view reaches, and
// keeps the store, and with it the module's memory, for good.
func (e *engine) release() backend.Release {
	return backend.Release{Close: e.close, Unreachable: func() {
		C.zc_host_free(e.h)
		e.h = nil
		abandoned.Lock()
		abandoned.stores = append(abandoned.stores, e.store)
		abandoned.Unlock()
	}}
}

// start instantiates mod in a new store, binds its exports to the shim,
// and reserves its regions.
func start(mod *wt.Module, capacity, taps int) (*engine, zerocall.Regions, error) {
	e, inst, memory, err := open(mod)
	if err != nil {
		return nil, zerocall.Regions{}, err
	}
	regions, err := e.init(inst, memory, capacity, taps)
	if err != nil {
		_ = e.close()
		return nil, zerocall.Regions{}, err
	}
	return e, regions, nil
}

// open checks mod, instantiates it in a new store and binds its exports
// to the shim.
func open(mod *wt.Module) (*engine, *wt.Instance, string, error) {
	if !wasmabi.LittleEndian() {
		return nil, nil, "", fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	memory, err := checkExports(mod)
	if err != nil {
		return nil, nil, "", err
	}
	store := wt.NewStore(engineOf())
	inst, err := wt.NewInstance(store, mod, nil)
	if err != nil {
		store.Close()
		return nil, nil, "", fmt.Errorf("zerocall: instantiating the wasm module: %w", err)
	}
	// Store.Context returns wasmtime-go's cgo type for wasmtime_context_t,
	// which is this package's C.wasmtime_context_t under another Go name:
	// the same opaque C struct.
	h := C.zc_host_new((*C.wasmtime_context_t)(unsafe.Pointer(store.Context())))
	if h == nil {
		store.Close()
		return nil, nil, "", errors.New("zerocall: out of C memory")
	}
	e := &engine{store: store, h: h}
	for name, i := range shimIndex {
		ext := inst.GetFunc(store, name).AsExtern()
		if !C.zc_host_set(h, i, (*C.wasmtime_extern_t)(unsafe.Pointer(&ext))) {
			_ = e.close()
			return nil, nil, "", fmt.Errorf("%w: export %q is not a function", wasmabi.ErrModule, name)
		}
	}
	return e, inst, memory, nil
}

// close frees the shim's buffer and deletes the store, and with it the
// instance and its memory. It may be called more than once.
func (e *engine) close() error {
	C.zc_host_free(e.h)
	e.h = nil
	e.store.Close()
	return nil
}

// init calls zc_init, then reads the region offsets once and returns views
// of them. These setup calls go through wasmtime-go's Func.Call.
func (e *engine) init(inst *wt.Instance, memory string, capacity, taps int) (zerocall.Regions, error) {
	call := func(name string, args ...any) (int32, error) {
		v, err := inst.GetFunc(e.store, name).Call(e.store, args...)
		if err != nil {
			return 0, fmt.Errorf("zerocall: wasm %s: %w", name, err)
		}
		return v.(int32), nil
	}
	status, err := call("zc_init", int32(capacity), int32(taps))
	if err != nil {
		return zerocall.Regions{}, err
	}
	if err := wasmabi.Status(status, capacity, taps); err != nil {
		return zerocall.Regions{}, err
	}
	mem := inst.GetExport(e.store, memory).Memory()
	buf := unsafe.Slice((*byte)(mem.Data(e.store)), mem.DataSize(e.store))
	return wasmabi.Regions(buf, func(name string) (uint32, error) {
		v, err := call(name)
		return uint32(v), err
	}, capacity, taps)
}

// engine calls the kernel exports of one module instance through the
// shim. Arguments are written into the shim's buffer in C memory, and
// results read from it, so nothing is allocated.
type engine struct {
	store *wt.Store  // owns the instance; kept here so that it stays alive
	h     *C.zc_host // the store's context, the exports and the buffer
}

// val returns the i'th slot of the shim's buffer. Wasmtime stores raw
// values little-endian, at offset 0 of the slot, whatever their type.
func (e *engine) val(i int) unsafe.Pointer { return unsafe.Pointer(&e.h.val[i]) }

func (e *engine) setI32(i, v int)         { *(*int32)(e.val(i)) = int32(v) }
func (e *engine) setF64(i int, v float64) { *(*float64)(e.val(i)) = v }

// call runs export f with the arguments already in the buffer. A trap
// leaves the instance's state unknown: the error breaks the instance for
// good.
func (e *engine) call(f C.int) error {
	if e.h == nil {
		return zerocall.ErrClosed
	}
	if !C.zc_call(e.h, f) {
		msg := C.GoStringN((*C.char)(unsafe.Pointer(e.h.msg.data)), C.int(e.h.msglen))
		C.zc_host_clear(e.h)
		return fmt.Errorf("%w: wasmtime %s: %s", zerocall.ErrBroken, shimNames[f], oneLine(msg))
	}
	return nil
}

// oneLine returns Wasmtime's multi-line message of a failure on one line,
// without the native stack backtrace, whose frames have no names.
func oneLine(msg string) string {
	msg, _, _ = strings.Cut(msg, "Stack backtrace:")
	return strings.Join(strings.Fields(msg), " ")
}

func (e *engine) Sum(n int) (float64, error) {
	e.setI32(0, n)
	if err := e.call(C.ZC_SUM); err != nil {
		return 0, err
	}
	return *(*float64)(e.val(0)), nil
}

func (e *engine) Dot(n int) (float64, error) {
	e.setI32(0, n)
	if err := e.call(C.ZC_DOT); err != nil {
		return 0, err
	}
	return *(*float64)(e.val(0)), nil
}

func (e *engine) Axpy(a float64, n int) error {
	e.setF64(0, a)
	e.setI32(1, n)
	return e.call(C.ZC_AXPY)
}

func (e *engine) FIR(n, k int) (int, error) {
	e.setI32(0, n)
	e.setI32(1, k)
	if err := e.call(C.ZC_FIR); err != nil {
		return 0, err
	}
	return int(*(*int32)(e.val(0))), nil
}

func (e *engine) MatMul(m int) error {
	e.setI32(0, m)
	return e.call(C.ZC_MATMUL)
}

// Noop returns a function that calls the module's empty export through
// the shim, as every kernel call goes: the floor of any call into wasm on
// Wasmtime, against which the kernels' fixed costs are measured. close
// deletes the instance's store.
func Noop(m wasm.Module) (call func() error, close func() error, err error) {
	mod, err := compile(m)
	if err != nil {
		return nil, nil, err
	}
	e, _, _, err := open(mod)
	if err != nil {
		return nil, nil, err
	}
	return func() error { return e.call(C.ZC_NOOP) }, e.close, nil
}
