// Package wasm runs the zerocall C kernels compiled to WebAssembly, hosted
// by wazero: the foreign-owned memory pattern (pattern 2).
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
// (zerocall.Module). Each module is compiled once and instantiated cheaply
// per instance; nothing is allocated per call.
package wasm

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm/embed"
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

// compile returns m compiled and checked, compiling it on first use.
func compile(v zerocall.Variant) (wazero.CompiledModule, error) {
	bin := embed.Bytes(v)
	if bin == nil {
		return nil, zerocall.ErrUnsupported
	}
	c := &compiled[wasmabi.ModuleIndex(v)]
	c.once.Do(func() {
		c.mod, c.err = runtimeOf().CompileModule(context.Background(), bin)
		if c.err == nil {
			c.err = wasmabi.CheckBuiltins(lookupIn(c.mod), hasMemory(c.mod), imports(c.mod))
		}
	})
	return c.mod, c.err
}

// New returns an instance of the module of cfg.Variant (Scalar, or
// SIMD128, which Auto stands for; any other is zerocall.ErrUnsupported)
// with regions of cfg's sizes.
func New(cfg zerocall.Config) (*zerocall.Instance, error) {
	if !wasmabi.LittleEndian() {
		return nil, fmt.Errorf("%w: wasm memory is little-endian and this host is not", zerocall.ErrUnsupported)
	}
	capacity, taps, err := backend.Sizes(cfg, wasmabi.MaxCapacity)
	if err != nil {
		return nil, err
	}
	cm, err := compile(cfg.Variant)
	if err != nil {
		return nil, err
	}
	e, b, err := start(runtimeOf(), cm, capacity, taps)
	if err != nil {
		return nil, err
	}
	return backend.NewInstance(e.hosts(b), b.Regions, e.release())
}

// start instantiates cm and reserves the frames and regions of an
// instance of the built-ins.
func start(r wazero.Runtime, cm wazero.CompiledModule, capacity, taps int) (*engine, wasmabi.Builtins, error) {
	e, err := instantiate(r, cm)
	if err != nil {
		return nil, wasmabi.Builtins{}, err
	}
	b, err := wasmabi.ReserveBuiltins(capacity, taps, reserver(e.mod, 0), e.size, e.memory)
	if err != nil {
		_ = e.close()
		return nil, b, err
	}
	e.memSize = e.mem.Size()
	return e, b, nil
}

// hosts returns the built-in kernels' hosts of the instance laid out as
// b says: each the host of a handle of its own (see owned), on the
// instance's module, which the instance closes.
func (e *engine) hosts(b wasmabi.Builtins) (hosts [backend.N]regionset.Host) {
	for i, k := range backend.Kernels {
		hosts[i] = &owned{f: &Func{k: k, export: wasmabi.BuiltinNames[i]}, mod: e.mod, fn: e.fns[i],
			mem: e.mem, memSize: e.memSize, fr: b.Frames[i], frame: b.Offs[i], shared: true}
	}
	return hosts
}

// engine calls the exports of one module instance. Each call writes the
// frame's offset onto a fixed stack and uses CallWithStack, so nothing is
// allocated.
type engine struct {
	ctx     context.Context
	mod     api.Module
	fns     [wasmabi.NBuiltins]api.Function
	mem     api.Memory
	memSize uint32
}

// instantiate makes one instance of cm, which has the built-ins' exports.
func instantiate(r wazero.Runtime, cm wazero.CompiledModule) (*engine, error) {
	ctx := context.Background()
	// An empty name lets any number of instances of one module coexist.
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("zerocall: instantiating the wasm module: %w", err)
	}
	e := &engine{ctx: ctx, mod: mod, mem: mod.Memory()}
	for i, name := range wasmabi.BuiltinNames {
		e.fns[i] = mod.ExportedFunction(name)
	}
	if err := version(mod, 0); err != nil {
		_ = e.close()
		return nil, err
	}
	return e, nil
}

// version checks the module's zc_abi_version, a call bounded by limit if
// it is positive (see bounded).
func version(mod api.Module, limit time.Duration) error {
	var v []uint64
	err := bounded(limit, func(ctx context.Context) (err error) {
		v, err = mod.ExportedFunction("zc_abi_version").Call(ctx)
		return err
	})
	if err != nil {
		return wasmabi.CheckVersion(0, err)
	}
	return wasmabi.CheckVersion(int32(v[0]), nil)
}

// reserver returns a call of the module's zc_reserve, each bounded by
// limit if it is positive (see bounded).
func reserver(mod api.Module, limit time.Duration) func(size, align uint32) (uint32, error) {
	fn := mod.ExportedFunction("zc_reserve")
	return func(size, align uint32) (uint32, error) {
		var res []uint64
		err := bounded(limit, func(ctx context.Context) (err error) {
			res, err = fn.Call(ctx, api.EncodeU32(size), api.EncodeU32(align))
			return err
		})
		if err != nil {
			return 0, err
		}
		return api.DecodeU32(res[0]), nil
	}
}

// errSetUpLimit is the failure of a call during set-up that ran past the
// time limit.
var errSetUpLimit = errors.New("ran past the time limit")

// bounded runs call, a call into a module during set-up, with a context
// that ends after limit if it is positive: the module's runtime (the one
// of a Library with a time limit, which closes a module when the
// context of its call is done) then stops the call and closes the
// module, and bounded fails with errSetUpLimit. With no limit the call is
// not bounded.
func bounded(limit time.Duration, call func(ctx context.Context) error) error {
	if limit <= 0 {
		return call(context.Background())
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	err := call(ctx)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w of %v during set-up", errSetUpLimit, limit)
	}
	return err
}

// size returns the memory's size in bytes.
func (e *engine) size() uint64 { return uint64(e.mem.Size()) }

// memory returns the whole memory, once the reservations are made.
func (e *engine) memory() []byte {
	buf, _ := e.mem.Read(0, e.mem.Size())
	return buf
}

// release says how an instance gives its module back: Close closes it,
// and so does the backstop, because the module's memory is a Go slice
// that any view of the regions keeps alive by itself.
func (e *engine) release() backend.Release {
	return backend.Release{Close: e.close, Unreachable: func() { _ = e.close() }}
}

// close releases the module instance and its memory.
func (e *engine) close() error { return e.mod.Close(e.ctx) }

// noop returns a function that calls the module's empty kernel export
// through CallWithStack: the floor of any call into wasm, against which
// the kernels' fixed costs are measured. close releases the instance.
func noop(v zerocall.Variant) (call func() error, close func() error, err error) {
	cm, err := compile(v)
	if err != nil {
		return nil, nil, err
	}
	e, err := instantiate(runtimeOf(), cm)
	if err != nil {
		return nil, nil, err
	}
	fn := e.fns[wasmabi.Noop]
	var stack [1]uint64
	return func() error { return fn.CallWithStack(e.ctx, stack[:]) }, e.close, nil
}

// hasMemory reports whether cm exports a memory named "memory".
func hasMemory(cm wazero.CompiledModule) bool {
	_, ok := cm.ExportedMemories()["memory"]
	return ok
}

// imports lists cm's imports as "module.name".
func imports(cm wazero.CompiledModule) []string {
	var names []string
	for _, d := range cm.ImportedFunctions() {
		m, n, _ := d.Import()
		names = append(names, m+"."+n)
	}
	for _, d := range cm.ImportedMemories() {
		m, n, _ := d.Import()
		names = append(names, m+"."+n)
	}
	return names
}

// The empty crossing is measured, not called: the benchmarks reach it
// through internal/measure.
func init() { measure.WasmNoop = noop }
