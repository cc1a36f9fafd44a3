// Package wasm runs zerocall modules, C kernels compiled to WebAssembly:
// the foreign-owned memory pattern (pattern 2), on wazero, or on any
// runtime that supplies package wasm/engine (Wasmtime does, in package
// wasmtime).
//
// Every module here follows the zerocall module ABI
// (wasm/module/zc_module.h): the module owns regions of its linear memory,
// reserved once per instance through its zc_reserve, and one frame per
// kernel; the host keeps views of them, and memory never grows after, so
// the views stay valid for the life of the instance. A call copies the
// inputs into the regions (or the caller writes them in place), writes the
// lengths and scalars into the kernel's frame, and calls the kernel's
// export with the frame's offset.
//
// New runs the built-in kernels from the embedded modules (package
// wasm/embed, built from the same C sources as package native) as a
// zerocall.Instance. Load runs a module of your own (user.go): its Funcs
// make kernel.Handle and kernel.Batch values in the module's memory
// (zerocall.Module). Both run on wazero unless zerocall.Config.Engine
// names another runtime.
// Each module is compiled once and instantiated cheaply per instance;
// nothing is allocated per call.
//
// What a runtime does is in wazero.go for wazero; everything else is
// written once, here, for every runtime.
package wasm

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasm/engine"
)

// New returns an instance of the module of cfg.Variant (Scalar, or
// SIMD128, which Auto stands for; any other is zerocall.ErrUnsupported)
// with regions of cfg's sizes, on cfg.Engine (wazero if nil).
func New(cfg zerocall.Config) (*zerocall.Instance, error) {
	e := runtimeOf(cfg)
	if !wasmabi.LittleEndian() {
		return nil, fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	capacity, taps, err := backend.Sizes(cfg, wasmabi.MaxCapacity)
	if err != nil {
		return nil, err
	}
	hosts, regions, rel, err := builtins(e, cfg.Variant, capacity, taps)
	if err != nil {
		return nil, err
	}
	return backend.NewInstance(hosts, regions, rel)
}

// runtimeOf is the runtime cfg names: cfg.Engine, or wazero.
func runtimeOf(cfg zerocall.Config) engine.Engine {
	if cfg.Engine != nil {
		return cfg.Engine
	}
	return wazeroEngine
}

// builtins instantiates the module of variant v on e, reserves the frames
// and regions of an instance of the built-ins, and returns the built-in
// kernels' hosts over them: each the host of a handle of its own (see
// owned), on the one module instance, which rel releases.
func builtins(e engine.Engine, v zerocall.Variant, capacity, taps int) (hosts [backend.N]regionset.Host, regions zerocall.Regions, rel backend.Release, err error) {
	m, err := builtinModule(e, v)
	if err != nil {
		return hosts, regions, rel, err
	}
	inst, err := instantiate(m, 0, wasmabi.BuiltinNeeds(capacity, taps))
	if err != nil {
		return hosts, regions, rel, err
	}
	defer func() {
		if err != nil {
			_ = inst.Close()
		}
	}()
	b, err := wasmabi.ReserveBuiltins(capacity, taps, reserver(inst, 0),
		func() uint64 { return uint64(len(inst.Memory())) }, inst.Memory)
	if err != nil {
		return hosts, regions, rel, err
	}
	for i, k := range backend.Kernels {
		name := wasmabi.BuiltinNames[i]
		call, err := inst.Export(name, 1)
		if err != nil {
			return hosts, regions, rel, fmt.Errorf("%w: %s: %v", zerocall.ErrLoad, name, err)
		}
		o := &owned{k: k, export: name, eng: e.Name(), inst: inst, call: call, frame: b.Offs[i], shared: true}
		o.bindFrame(b.Frames[i])
		hosts[i] = o
	}
	return hosts, b.Regions, backend.Release{Close: inst.Close, Unreachable: inst.Abandon}, nil
}

// compiledBuiltins holds the embedded modules compiled by one runtime,
// each on first use, by wasmabi.ModuleIndex.
type compiledBuiltins [2]struct {
	once sync.Once
	mod  engine.Module
	err  error
}

// compiled maps each runtime to its compiledBuiltins.
var compiled sync.Map

// builtinModule returns the embedded module of variant v compiled by e
// and checked, compiling it on first use.
func builtinModule(e engine.Engine, v zerocall.Variant) (engine.Module, error) {
	if e == nil || !reflect.ValueOf(e).Comparable() {
		return nil, fmt.Errorf("%w: the wasm runtime must be a comparable engine.Engine", zerocall.ErrArgument)
	}
	bin := embed.Bytes(v)
	if bin == nil {
		return nil, fmt.Errorf("%w: no built-in module of variant %v", zerocall.ErrUnsupported, v)
	}
	cs, _ := compiled.LoadOrStore(e, new(compiledBuiltins))
	c := &cs.(*compiledBuiltins)[wasmabi.ModuleIndex(v)]
	c.once.Do(func() {
		c.mod, c.err = e.Compile(bin, 0, 0)
		if c.err != nil {
			c.err = fmt.Errorf("zerocall: compiling the %v wasm module on %s: %w", v, e.Name(), c.err)
			return
		}
		_, _, memory := c.mod.Memory()
		c.err = wasmabi.CheckBuiltins(lookupIn(c.mod), memory, c.mod.Imports())
	})
	return c.mod, c.err
}

// noopOn returns a function that calls the module's empty kernel export
// on e, as every kernel call goes: the floor of any call into wasm on that
// runtime, against which the kernels' fixed costs are measured. close
// releases the instance.
func noopOn(e engine.Engine, v zerocall.Variant) (call func() error, close func() error, err error) {
	m, err := builtinModule(e, v)
	if err != nil {
		return nil, nil, err
	}
	inst, err := instantiate(m, 0, 0)
	if err != nil {
		return nil, nil, err
	}
	fn, err := inst.Export(wasmabi.BuiltinNames[wasmabi.Noop], 1)
	if err != nil {
		_ = inst.Close()
		return nil, nil, err
	}
	return func() error { _, err := fn(0, 0); return err }, inst.Close, nil
}

// The empty crossing is measured, not called: the benchmarks reach it
// through internal/measure, on wazero and on any other runtime. The kits
// name a Func's runtime through internal/funcs.
func init() {
	measure.WasmNoop = func(v zerocall.Variant) (func() error, func() error, error) { return noopOn(wazeroEngine, v) }
	measure.WasmNoopOn = noopOn
	funcs.Runtime = func(f any) string {
		if f, ok := f.(*Func); ok {
			return f.lib.eng.Name()
		}
		return ""
	}
}
