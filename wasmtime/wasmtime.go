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
// The shim includes wasmtime.h, which ships in wasmtime-go's module
// directory; building this package needs that directory's build/include on
// CGO_CFLAGS, as the Makefile sets it. See README.md.
package wasmtime

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/wasm"
)

// Module selects one of the zerocall wasm modules.
type Module int

const (
	// SIMD is the module built with WebAssembly SIMD128 kernels.
	SIMD Module = iota
	// Scalar is the module built with the scalar reference kernels.
	Scalar
)

// String returns the module's name.
func (m Module) String() string {
	switch m {
	case SIMD:
		return "simd128"
	case Scalar:
		return "scalar"
	}
	return "unknown"
}

// binary returns the module's bytes, which package wasm embeds.
func (m Module) binary() ([]byte, error) {
	switch m {
	case SIMD:
		return wasm.Binary(wasm.SIMD)
	case Scalar:
		return wasm.Binary(wasm.Scalar)
	}
	return nil, zerocall.ErrUnsupported
}

// Config sizes an instance's regions and picks its module.
type Config struct {
	// Capacity is the number of elements in each of X, Y and Out.
	// 0 means DefaultCapacity.
	Capacity int
	// Taps is the number of elements in Taps, at most Capacity.
	// 0 means DefaultTaps, or Capacity if smaller.
	Taps int
	// Module is the module to run.
	Module Module
}

// The sizes a zero Config stands for.
const (
	DefaultCapacity = 1 << 16
	DefaultTaps     = 256
)

// maxCapacity keeps the three regions of capacity doubles, plus taps,
// inside the module's 2 GiB of memory.
const maxCapacity = (1 << 31) / 8 / 4

func (cfg Config) sizes() (capacity, taps int, err error) {
	capacity, taps = cfg.Capacity, cfg.Taps
	if capacity == 0 {
		capacity = DefaultCapacity
	}
	if taps == 0 {
		taps = min(DefaultTaps, capacity)
	}
	if capacity < 1 || taps < 1 || taps > capacity || capacity > maxCapacity {
		return 0, 0, zerocall.ErrArgument
	}
	return capacity, taps, nil
}

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
func compile(m Module) (*wt.Module, error) {
	bin, err := m.binary()
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
// store of its own that Close deletes.
func New(cfg Config) (*zerocall.Instance, error) {
	capacity, taps, err := cfg.sizes()
	if err != nil {
		return nil, err
	}
	mod, err := compile(cfg.Module)
	if err != nil {
		return nil, err
	}
	return instantiate(mod, capacity, taps)
}

// ErrModule reports a module that does not have the exports zerocall
// needs, with the signatures it needs.
var ErrModule = errors.New("zerocall: wasm module does not match the zerocall ABI")

// export is a function a module must export, with its signature and, for
// the exports calls go through the shim, its index there (-1 if none).
type export struct {
	name            string
	params, results []wt.ValKind
	shim            C.int
}

const (
	i32 = wt.KindI32
	f64 = wt.KindF64
)

// exports are the functions a module must export.
var exports = []export{
	{"zc_init", []wt.ValKind{i32, i32}, []wt.ValKind{i32}, -1},
	{"zc_x", nil, []wt.ValKind{i32}, -1},
	{"zc_y", nil, []wt.ValKind{i32}, -1},
	{"zc_taps", nil, []wt.ValKind{i32}, -1},
	{"zc_out", nil, []wt.ValKind{i32}, -1},
	{"sum", []wt.ValKind{i32}, []wt.ValKind{f64}, C.ZC_SUM},
	{"dot", []wt.ValKind{i32}, []wt.ValKind{f64}, C.ZC_DOT},
	{"axpy", []wt.ValKind{f64, i32}, nil, C.ZC_AXPY},
	{"fir", []wt.ValKind{i32, i32}, []wt.ValKind{i32}, C.ZC_FIR},
	{"matmul", []wt.ValKind{i32}, nil, C.ZC_MATMUL},
	{"noop", nil, nil, C.ZC_NOOP},
}

// shimNames are the export names by shim index, for error messages.
var shimNames = func() (names [C.ZC_NFUNCS]string) {
	for _, e := range exports {
		if e.shim >= 0 {
			names[e.shim] = e.name
		}
	}
	return names
}()

// checkExports fails with ErrModule unless mod has every export zerocall
// calls, with its signature, and one memory, whose name it returns.
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
	for _, want := range exports {
		ft, ok := funcs[want.name]
		if !ok {
			return "", fmt.Errorf("%w: no export %q", ErrModule, want.name)
		}
		params, results := kinds(ft.Params()), kinds(ft.Results())
		if !slices.Equal(params, want.params) || !slices.Equal(results, want.results) {
			return "", fmt.Errorf("%w: export %q has type %v -> %v, want %v -> %v",
				ErrModule, want.name, params, results, want.params, want.results)
		}
	}
	if len(memories) != 1 {
		return "", fmt.Errorf("%w: it must export one memory", ErrModule)
	}
	return memories[0], nil
}

func kinds(ts []*wt.ValType) []wt.ValKind {
	ks := make([]wt.ValKind, len(ts))
	for i, t := range ts {
		ks[i] = t.Kind()
	}
	return ks
}

// instantiate makes one instance of mod, reserves its regions, and takes
// the views of them that every call uses.
func instantiate(mod *wt.Module, capacity, taps int) (*zerocall.Instance, error) {
	e, regions, err := start(mod, capacity, taps)
	if err != nil {
		return nil, err
	}
	return zerocall.NewInstance(e, regions, e.close), nil
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
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
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
	// the same C type, from the same header.
	h := C.zc_host_new((*C.wasmtime_context_t)(unsafe.Pointer(store.Context())))
	if h == nil {
		store.Close()
		return nil, nil, "", errors.New("zerocall: out of C memory")
	}
	e := &engine{store: store, h: h}
	for _, x := range exports {
		if x.shim < 0 {
			continue
		}
		ext := inst.GetFunc(store, x.name).AsExtern()
		if !C.zc_host_set(h, x.shim, (*C.wasmtime_extern_t)(unsafe.Pointer(&ext))) {
			_ = e.close()
			return nil, nil, "", fmt.Errorf("%w: export %q is not a function", ErrModule, x.name)
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
	if status != 0 {
		return zerocall.Regions{}, fmt.Errorf("zerocall: wasm zc_init(%d, %d) failed with status %d", capacity, taps, status)
	}
	mem := inst.GetExport(e.store, memory).Memory()
	base, size := mem.Data(e.store), uint64(mem.DataSize(e.store))
	view := func(name string, n int) ([]float64, error) {
		v, err := call(name)
		if err != nil {
			return nil, err
		}
		off := uint64(uint32(v))
		if off%8 != 0 || off+uint64(n)*8 > size {
			return nil, fmt.Errorf("%w: region %s at %d does not fit memory", ErrModule, name, off)
		}
		return unsafe.Slice((*float64)(unsafe.Add(base, off)), n), nil
	}
	var r zerocall.Regions
	for _, v := range []struct {
		dst  *[]float64
		name string
		n    int
	}{{&r.X, "zc_x", capacity}, {&r.Y, "zc_y", capacity}, {&r.Taps, "zc_taps", taps}, {&r.Out, "zc_out", capacity}} {
		if *v.dst, err = view(v.name, v.n); err != nil {
			return zerocall.Regions{}, err
		}
	}
	return r, nil
}

// engine calls the kernel exports of one module instance through the
// shim. Arguments are written into the shim's buffer in C memory, and
// results read from it, so nothing is allocated.
type engine struct {
	store *wt.Store  // owns the instance; kept here so that it stays alive
	h     *C.zc_host // the store's context, the exports and the buffer
	err   error      // the first failure; the instance is broken after it
}

// val returns the i'th slot of the shim's buffer. Wasmtime stores raw
// values little-endian, at offset 0 of the slot, whatever their type.
func (e *engine) val(i int) unsafe.Pointer { return unsafe.Pointer(&e.h.val[i]) }

func (e *engine) setI32(i, v int)         { *(*int32)(e.val(i)) = int32(v) }
func (e *engine) setF64(i int, v float64) { *(*float64)(e.val(i)) = v }

// call runs export f with the arguments already in the buffer. A trap
// leaves the instance's state unknown, so the first one breaks the
// instance for good.
func (e *engine) call(f C.int) error {
	if e.err != nil {
		return e.err
	}
	if e.h == nil {
		return zerocall.ErrClosed
	}
	if !C.zc_call(e.h, f) {
		msg := C.GoStringN((*C.char)(unsafe.Pointer(e.h.msg.data)), C.int(e.h.msglen))
		C.zc_host_clear(e.h)
		e.err = fmt.Errorf("%w: wasmtime %s: %s", zerocall.ErrBroken, shimNames[f], oneLine(msg))
		return e.err
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
func Noop(m Module) (call func() error, close func() error, err error) {
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
