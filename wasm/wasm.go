// Package wasm runs the zerocall C kernels compiled to WebAssembly, hosted
// by wazero: the foreign-owned memory pattern (pattern 2).
//
// The module owns four fixed regions of its linear memory (X, Y, Taps and
// Out), reserved once when an instance is created; their offsets are read
// once and the host keeps []float64 views of them. Memory never grows
// after that, so the views stay valid for the life of the instance. A call
// copies the inputs into the regions (or the caller writes them in place)
// and calls an export that takes lengths only, such as sum(n).
//
// The modules are built from the same C sources as package native (see
// wasm/embed/build.sh) and embedded in the package, so no C toolchain is
// needed to use it. Each is compiled once per process and instantiated
// cheaply per instance; nothing is allocated per call.
package wasm

import (
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
)

// Module selects one of the embedded modules.
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

var (
	//go:embed embed/zerocall_simd.wasm
	simdWasm []byte
	//go:embed embed/zerocall.wasm
	scalarWasm []byte
)

// binary returns the module's bytes.
func (m Module) binary() ([]byte, error) {
	switch m {
	case SIMD:
		return simdWasm, nil
	case Scalar:
		return scalarWasm, nil
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

// The process-wide runtime and each module compiled once.
var (
	rtOnce   sync.Once
	rt       wazero.Runtime
	compiled [2]struct {
		once sync.Once
		mod  wazero.CompiledModule
		err  error
	}
)

func runtimeOf() wazero.Runtime {
	rtOnce.Do(func() {
		// The default configuration picks wazero's compiler where it is
		// supported and its interpreter elsewhere.
		rt = wazero.NewRuntimeWithConfig(context.Background(), wazero.NewRuntimeConfig())
	})
	return rt
}

// compile returns m compiled, compiling it on first use.
func compile(m Module) (wazero.CompiledModule, error) {
	bin, err := m.binary()
	if err != nil {
		return nil, err
	}
	c := &compiled[m]
	c.once.Do(func() {
		c.mod, c.err = runtimeOf().CompileModule(context.Background(), bin)
	})
	return c.mod, c.err
}

// New returns an instance of cfg.Module with regions of cfg's sizes.
func New(cfg Config) (*zerocall.Instance, error) {
	capacity, taps, err := cfg.sizes()
	if err != nil {
		return nil, err
	}
	cm, err := compile(cfg.Module)
	if err != nil {
		return nil, err
	}
	return instantiate(runtimeOf(), cm, capacity, taps)
}

// ErrModule reports a module that does not have the exports zerocall
// needs, with the signatures it needs.
var ErrModule = errors.New("zerocall: wasm module does not match the zerocall ABI")

// exports are the functions a module must export, with their signatures.
var exports = []struct {
	name            string
	params, results []api.ValueType
}{
	{"zc_init", []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}},
	{"zc_x", nil, []api.ValueType{api.ValueTypeI32}},
	{"zc_y", nil, []api.ValueType{api.ValueTypeI32}},
	{"zc_taps", nil, []api.ValueType{api.ValueTypeI32}},
	{"zc_out", nil, []api.ValueType{api.ValueTypeI32}},
	{"sum", []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeF64}},
	{"dot", []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeF64}},
	{"axpy", []api.ValueType{api.ValueTypeF64, api.ValueTypeI32}, nil},
	{"fir", []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}},
	{"matmul", []api.ValueType{api.ValueTypeI32}, nil},
	{"noop", nil, nil},
}

// checkExports fails with ErrModule unless cm has every export zerocall
// calls, with its signature, and a memory.
func checkExports(cm wazero.CompiledModule) error {
	defs := cm.ExportedFunctions()
	for _, want := range exports {
		d, ok := defs[want.name]
		if !ok {
			return fmt.Errorf("%w: no export %q", ErrModule, want.name)
		}
		if !sameTypes(d.ParamTypes(), want.params) || !sameTypes(d.ResultTypes(), want.results) {
			return fmt.Errorf("%w: export %q has type %v -> %v, want %v -> %v",
				ErrModule, want.name, d.ParamTypes(), d.ResultTypes(), want.params, want.results)
		}
	}
	if len(cm.ExportedMemories()) != 1 {
		return fmt.Errorf("%w: it must export one memory", ErrModule)
	}
	return nil
}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// instantiate makes one instance of cm, reserves its regions, and takes
// the views of them that every call uses.
func instantiate(r wazero.Runtime, cm wazero.CompiledModule, capacity, taps int) (*zerocall.Instance, error) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return nil, fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	if err := checkExports(cm); err != nil {
		return nil, err
	}
	e, regions, err := start(r, cm, capacity, taps)
	if err != nil {
		return nil, err
	}
	return zerocall.NewInstance(e, regions, e.close), nil
}

// start instantiates cm and reserves its regions.
func start(r wazero.Runtime, cm wazero.CompiledModule, capacity, taps int) (*engine, zerocall.Regions, error) {
	ctx := context.Background()
	// An empty name lets any number of instances of one module coexist.
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, zerocall.Regions{}, fmt.Errorf("zerocall: instantiating the wasm module: %w", err)
	}
	e := &engine{ctx: ctx, mod: mod}
	regions, err := e.init(capacity, taps)
	if err != nil {
		_ = mod.Close(ctx)
		return nil, zerocall.Regions{}, err
	}
	return e, regions, nil
}

// close releases the module instance and its memory.
func (e *engine) close() error { return e.mod.Close(e.ctx) }

// init calls zc_init, then reads the region offsets once and returns views
// of them.
func (e *engine) init(capacity, taps int) (zerocall.Regions, error) {
	fn := func(name string) api.Function { return e.mod.ExportedFunction(name) }
	e.sum, e.dot, e.axpy, e.fir, e.matmul = fn("sum"), fn("dot"), fn("axpy"), fn("fir"), fn("matmul")
	status, err := fn("zc_init").Call(e.ctx, api.EncodeI32(int32(capacity)), api.EncodeI32(int32(taps)))
	if err != nil {
		return zerocall.Regions{}, fmt.Errorf("zerocall: wasm zc_init: %w", err)
	}
	if s := api.DecodeI32(status[0]); s != 0 {
		return zerocall.Regions{}, fmt.Errorf("zerocall: wasm zc_init(%d, %d) failed with status %d", capacity, taps, s)
	}
	mem := e.mod.Memory()
	buf, ok := mem.Read(0, mem.Size())
	if !ok {
		return zerocall.Regions{}, fmt.Errorf("%w: memory cannot be read", ErrModule)
	}
	view := func(name string, n int) ([]float64, error) {
		res, err := fn(name).Call(e.ctx)
		if err != nil {
			return nil, err
		}
		off := uint64(api.DecodeU32(res[0]))
		if off%8 != 0 || off+uint64(n)*8 > uint64(len(buf)) {
			return nil, fmt.Errorf("%w: region %s at %d does not fit memory", ErrModule, name, off)
		}
		return unsafe.Slice((*float64)(unsafe.Pointer(&buf[off])), n), nil
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

// engine calls the kernel exports of one module instance. Each call
// writes its arguments into a fixed stack and uses CallWithStack, so
// nothing is allocated.
type engine struct {
	ctx                         context.Context
	mod                         api.Module
	sum, dot, axpy, fir, matmul api.Function
	stack                       [2]uint64
	err                         error // the first failure; the instance is broken after it
}

// call runs f with the arguments already on the stack. A trap leaves the
// instance's state unknown, so the first one breaks the instance for good.
func (e *engine) call(f api.Function) error {
	if e.err != nil {
		return e.err
	}
	if err := f.CallWithStack(e.ctx, e.stack[:]); err != nil {
		e.err = fmt.Errorf("%w: wasm %s: %v", zerocall.ErrBroken, f.Definition().ExportNames()[0], err)
		return e.err
	}
	return nil
}

func (e *engine) Sum(n int) (float64, error) {
	e.stack[0] = api.EncodeI32(int32(n))
	if err := e.call(e.sum); err != nil {
		return 0, err
	}
	return api.DecodeF64(e.stack[0]), nil
}

func (e *engine) Dot(n int) (float64, error) {
	e.stack[0] = api.EncodeI32(int32(n))
	if err := e.call(e.dot); err != nil {
		return 0, err
	}
	return api.DecodeF64(e.stack[0]), nil
}

func (e *engine) Axpy(a float64, n int) error {
	e.stack[0], e.stack[1] = api.EncodeF64(a), api.EncodeI32(int32(n))
	return e.call(e.axpy)
}

func (e *engine) FIR(n, k int) (int, error) {
	e.stack[0], e.stack[1] = api.EncodeI32(int32(n)), api.EncodeI32(int32(k))
	if err := e.call(e.fir); err != nil {
		return 0, err
	}
	return int(api.DecodeI32(e.stack[0])), nil
}

func (e *engine) MatMul(m int) error {
	e.stack[0] = api.EncodeI32(int32(m))
	return e.call(e.matmul)
}

// Noop returns a function that calls the module's empty export through
// CallWithStack: the floor of any call into wasm, against which the
// kernels' fixed costs are measured. close releases the instance.
func Noop(m Module) (call func() error, close func() error, err error) {
	cm, err := compile(m)
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	mod, err := runtimeOf().InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, nil, err
	}
	fn := mod.ExportedFunction("noop")
	if fn == nil {
		_ = mod.Close(ctx)
		return nil, nil, fmt.Errorf("%w: no export %q", ErrModule, "noop")
	}
	var stack [1]uint64
	return func() error { return fn.CallWithStack(ctx, stack[:]) }, func() error { return mod.Close(ctx) }, nil
}
