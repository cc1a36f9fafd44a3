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
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/backend"
	"github.com/zerocall/zerocall/internal/wasmabi"
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
	DefaultCapacity = wasmabi.DefaultCapacity
	DefaultTaps     = wasmabi.DefaultTaps
)

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
	capacity, taps, err := wasmabi.Sizes(cfg.Capacity, cfg.Taps)
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
var ErrModule = wasmabi.ErrModule

// checkExports fails with ErrModule unless cm has the zerocall exports.
func checkExports(cm wazero.CompiledModule) error {
	defs := cm.ExportedFunctions()
	types := func(vs []api.ValueType) []wasmabi.Type {
		ts := make([]wasmabi.Type, len(vs))
		for i, v := range vs {
			ts[i] = wasmabi.Type(v)
		}
		return ts
	}
	return wasmabi.Check(func(name string) (params, results []wasmabi.Type, ok bool) {
		d, ok := defs[name]
		if !ok {
			return nil, nil, false
		}
		return types(d.ParamTypes()), types(d.ResultTypes()), true
	}, len(cm.ExportedMemories()))
}

// instantiate makes one instance of cm, reserves its regions, and takes
// the views of them that every call uses.
func instantiate(r wazero.Runtime, cm wazero.CompiledModule, capacity, taps int) (*zerocall.Instance, error) {
	if !wasmabi.LittleEndian() {
		return nil, fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	if err := checkExports(cm); err != nil {
		return nil, err
	}
	e, regions, err := start(r, cm, capacity, taps)
	if err != nil {
		return nil, err
	}
	in, err := backend.NewInstance(e, regions, e.release())
	if err != nil {
		_ = e.close()
	}
	return in, err
}

// release says how an instance gives its module back: Close closes it,
// and so does the backstop, because the module's memory is a Go slice
// that any view of the regions keeps alive by itself.
func (e *engine) release() backend.Release {
	return backend.Release{Close: e.close, Unreachable: func() { _ = e.close() }}
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
	if err := wasmabi.Status(int32(api.DecodeI32(status[0])), capacity, taps); err != nil {
		return zerocall.Regions{}, err
	}
	mem := e.mod.Memory()
	buf, ok := mem.Read(0, mem.Size())
	if !ok {
		return zerocall.Regions{}, fmt.Errorf("%w: memory cannot be read", ErrModule)
	}
	return wasmabi.Regions(buf, func(name string) (uint32, error) {
		res, err := fn(name).Call(e.ctx)
		if err != nil {
			return 0, err
		}
		return api.DecodeU32(res[0]), nil
	}, capacity, taps)
}

// engine calls the kernel exports of one module instance. Each call
// writes its arguments into a fixed stack and uses CallWithStack, so
// nothing is allocated.
type engine struct {
	ctx                         context.Context
	mod                         api.Module
	sum, dot, axpy, fir, matmul api.Function
	stack                       [2]uint64
}

// call runs f with the arguments already on the stack. A trap leaves the
// instance's state unknown: the error breaks the instance for good.
func (e *engine) call(f api.Function) error {
	if err := f.CallWithStack(e.ctx, e.stack[:]); err != nil {
		return fmt.Errorf("%w: wasm %s: %v", zerocall.ErrBroken, f.Definition().ExportNames()[0], err)
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
