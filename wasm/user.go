package wasm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Library is a wasm module of your own, built to the zerocall module ABI
// (wasm/module/zc_module.h), compiled once and checked: it exports one
// memory and the ABI's functions, and imports nothing. Its kernels become
// Funcs (Library.Func), and each handle or batch of a Func (Func.Handle,
// Func.Batch) is an instance of the module with regions reserved in its
// memory once.
type Library struct {
	cm    wazero.CompiledModule
	rt    wazero.Runtime
	limit time.Duration
	lib   wasmabi.Lib
}

// The runtimes of user modules: one plain, one that can stop a call.
var (
	userRT [2]struct {
		once sync.Once
		rt   wazero.Runtime
	}
)

func userRuntime(limited bool) wazero.Runtime {
	i := 0
	if limited {
		i = 1
	}
	u := &userRT[i]
	u.once.Do(func() {
		u.rt = wazero.NewRuntimeWithConfig(context.Background(), wazero.NewRuntimeConfig().WithCloseOnContextDone(limited))
	})
	return u.rt
}

// Load compiles the module bin and checks it against the module ABI. A
// module that breaks it fails with an error wrapping zerocall.ErrLoad that
// says what is wrong: a missing export or one of the wrong type, an import, no
// memory, or a memory other than one plain wasm32 memory (64-bit, shared,
// or more than one). cfg.TimeLimit, if positive, bounds every call into
// the module (zerocall.Config says how); its other fields do not apply.
func Load(bin []byte, cfg zerocall.Config) (*Library, error) {
	if err := wasmabi.CheckLoad(bin, cfg, checkBinary); err != nil {
		return nil, err
	}
	rt := userRuntime(cfg.TimeLimit > 0)
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", zerocall.ErrLoad, err)
	}
	mem, ok := cm.ExportedMemories()["memory"]
	err = wasmabi.CheckModule(lookupIn(cm), ok, imports(cm))
	if err != nil {
		_ = cm.Close(context.Background())
		return nil, err
	}
	m, ok := mem.Max()
	return &Library{cm: cm, rt: rt, limit: cfg.TimeLimit, lib: wasmabi.Lib{Max: wasmabi.MemoryBytes(uint64(m), ok)}}, nil
}

// lookupIn finds the signatures of cm's exported functions.
func lookupIn(cm wazero.CompiledModule) wasmabi.Lookup {
	defs := cm.ExportedFunctions()
	types := func(vs []api.ValueType) []wasmabi.Type {
		ts := make([]wasmabi.Type, len(vs))
		for i, v := range vs {
			ts[i] = wasmabi.Type(v)
		}
		return ts
	}
	return func(name string) (params, results []wasmabi.Type, ok bool) {
		d, ok := defs[name]
		if !ok {
			return nil, nil, false
		}
		return types(d.ParamTypes()), types(d.ResultTypes()), true
	}
}

// Close releases the compiled module. Handles and batches made before
// keep working until they are closed; Library.Func, Func.Handle and
// Func.Batch fail with zerocall.ErrClosed after it. Closing twice is
// harmless.
func (l *Library) Close() error {
	return l.lib.Close(func() error { return l.cm.Close(context.Background()) })
}

// Func is a kernel export of a Library bound to the description of the
// kernel it implements.
type Func struct {
	lib    *Library
	k      *kernel.Kernel
	export string
}

// Func returns the export named export as an implementation of k. It
// fails with kernel.ErrKernel if k is not valid, and with zerocall.ErrLoad
// unless the module exports a function of that name with a kernel's
// signature, (frame i32) -> i64.
func (l *Library) Func(k *kernel.Kernel, export string) (*Func, error) {
	if err := wasmabi.CheckFunc(&l.lib, k, lookupIn(l.cm), export); err != nil {
		return nil, err
	}
	return &Func{lib: l, k: k, export: export}, nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel { return f.k }

// owned is the wazero host of a kernel.Handle: an instance of a Func's
// module with a region of its memory for each buffer of the kernel, and
// the kernel's frame, reserved once through the module's zc_reserve (the
// foreign-owned pattern). A call writes the lengths and scalars into the
// frame and calls the export with CallWithStack; nothing is allocated.
type owned struct {
	f       *Func
	mod     api.Module
	fn      api.Function
	mem     api.Memory
	memSize uint32
	fr      *wasmabi.Frame
	frame   uint32
	stack   [1]uint64
	watch   *watchdog // nil without a time limit
	clean   runtime.Cleanup
	shared  bool // a built-in kernel's host of an Instance, which closes mod

	// The batch export, for a Batch.
	bfn    api.Function
	bname  string
	items  uint32
	bstack [2]uint64
}

// Handle instantiates f's module and reserves the frame and a region of
// caps[i] elements for each buffer i of f's kernel in its memory, and
// returns the instance as a kernel.Handle. mem must be zerocall.Module
// (the module owns its memory; any other is zerocall.ErrUnsupported).
// Regions the module's memory cannot hold fail with zerocall.ErrNoMemory;
// a module whose zc_abi_version or zc_reserve break the ABI (a region
// outside memory, misaligned or overlapping another) fails with
// zerocall.ErrLoad, as does a start function that traps. With a time
// limit, a start function, zc_abi_version or zc_reserve that runs past it
// fails with ErrLoad too.
//
// A trap, a count past its buffer, memory grown by the module, or a call
// past the time limit breaks the instance for good (Err says why); other
// instances of the module are not affected.
func (f *Func) Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error) {
	return wasmabi.NewHandle(f.k, mem, caps, &f.lib.lib, func(items int) (wasmabi.Instance, error) { return newOwned(f, caps, items) })
}

// newOwned instantiates f's module for a handle with regions of caps,
// whose memory also holds a batch's descriptor of items items if items is
// positive, and returns its host, its regions' addresses, and where they
// lie in the module's memory. The Library's lock is held meanwhile.
func newOwned(f *Func, caps []int, items int) (in wasmabi.Instance, err error) {
	var mod api.Module
	err = bounded(f.lib.limit, func(ctx context.Context) (err error) {
		mod, err = f.lib.rt.InstantiateModule(ctx, f.lib.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		return err
	})
	if err != nil {
		if errors.Is(err, errSetUpLimit) {
			return in, fmt.Errorf("%w: instantiating: the start function %v", zerocall.ErrLoad, err)
		}
		return in, fmt.Errorf("%w: instantiating: %v", zerocall.ErrLoad, err)
	}
	o, views, l, mem, err := bind(f, mod, caps, items)
	if err != nil {
		_ = mod.Close(context.Background())
		return in, err
	}
	if f.lib.limit > 0 {
		o.watch = newWatchdog(mod, f.lib.limit)
	}
	if items > 0 {
		name := f.export + wasmabi.BatchSuffix
		o.bfn, o.bname, o.items = mod.ExportedFunction(name), name, l.Items
	}
	// The host is reachable only through its Handle: when the Handle is
	// dropped without Close, so is the host.
	o.clean = runtime.AddCleanup(o, func(r release) {
		leak.Add()
		r.close()
	}, release{mod, o.watch})
	return wasmabi.Instance{Host: o, Views: views, Layout: l, Mem: mem}, nil
}

// bind checks the module's ABI version, reserves the frame, regions and
// batch items, and takes the views every call uses.
func bind(f *Func, mod api.Module, caps []int, items int) (*owned, []unsafe.Pointer, wasmabi.Layout, []byte, error) {
	if err := version(mod, f.lib.limit); err != nil {
		return nil, nil, wasmabi.Layout{}, nil, err
	}
	mem := mod.Memory()
	l, err := wasmabi.Reserve(f.k, caps, items, reserver(mod, f.lib.limit), func() uint64 { return uint64(mem.Size()) })
	if err != nil {
		return nil, nil, l, nil, err
	}
	buf, ok := mem.Read(0, mem.Size())
	if !ok {
		return nil, nil, l, nil, fmt.Errorf("%w: memory cannot be read", zerocall.ErrLoad)
	}
	o := &owned{f: f, mod: mod, fn: mod.ExportedFunction(f.export), mem: mem, memSize: mem.Size(), frame: l.Frame}
	nb := len(f.k.Buffers)
	fr, views := wasmabi.Bind(buf, l, nb)
	o.fr = fr
	return o, views[:nb], l, buf, nil
}

// release is what the backstop closes for a handle dropped without
// Close: the module instance (its memory is a Go slice, which views keep
// alive by themselves) and the watchdog.
type release struct {
	mod   api.Module
	watch *watchdog
}

func (r release) close() {
	if r.watch != nil {
		r.watch.stop()
	}
	_ = r.mod.Close(context.Background())
}

// Close closes the module instance; the Handle calls it once. A built-in
// kernel's host of an Instance leaves it to the Instance.
func (o *owned) Close() error {
	if o.shared {
		return nil
	}
	o.clean.Stop()
	release{o.mod, o.watch}.close()
	return nil
}

// Run writes a's lengths and scalars into the frame in module memory and
// calls the export.
func (o *owned) Run(a *kernel.Args) (kernel.Return, error) {
	o.fr.Write(o.f.k, a)
	o.stack[0] = api.EncodeU32(o.frame)
	if err := o.call(o.fn, o.f.export, o.stack[:]); err != nil {
		return kernel.Return{}, err
	}
	return o.f.k.Returned(int64(o.stack[0]), o.fr.Result, a)
}

// RunBatch calls the batch export on the first n items.
func (o *owned) RunBatch(n int) error {
	o.bstack[0], o.bstack[1] = api.EncodeU32(o.items), api.EncodeI32(int32(n))
	return o.call(o.bfn, o.bname, o.bstack[:])
}

// call calls the export fn, named name, with stack, under the watchdog if
// any, and returns an error wrapping ErrBroken if it trapped, ran past
// the time limit or grew memory.
func (h *owned) call(fn api.Function, name string, stack []uint64) error {
	if h.watch != nil {
		h.watch.seq.Add(1) // odd: in a call
	}
	err := fn.CallWithStack(context.Background(), stack)
	if h.watch != nil {
		h.watch.seq.Add(1)
	}
	if err != nil {
		if h.watch != nil && h.watch.fired.Load() {
			return fmt.Errorf("%w: wasm %s ran past the time limit of %v and was stopped", errs.Broken, name, h.f.lib.limit)
		}
		return fmt.Errorf("%w: wasm %s: %v", errs.Broken, name, err)
	}
	if s := h.mem.Size(); s != h.memSize {
		return fmt.Errorf("%w: wasm %s grew the module's memory from %d to %d bytes after its regions were reserved",
			errs.Broken, name, h.memSize, s)
	}
	return nil
}

// watchdog stops a call of its instance that runs past a time limit. The
// caller counts calls in seq (odd while one runs), which costs two atomic
// adds per call and no clock reads; the watchdog samples seq a few times
// per limit, and closes the module if it has seen the same odd value for
// the whole limit. wazero's termination checks then end the call.
type watchdog struct {
	seq   atomic.Uint64
	fired atomic.Bool
	done  chan struct{}
	once  sync.Once
}

// The watchdog samples four times per limit.
const watchSamples = 4

func newWatchdog(mod api.Module, limit time.Duration) *watchdog {
	w := &watchdog{done: make(chan struct{})}
	go w.run(mod, limit)
	return w
}

func (w *watchdog) run(mod api.Module, limit time.Duration) {
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
		if same >= watchSamples {
			w.fired.Store(true)
			_ = mod.CloseWithExitCode(context.Background(), 1)
			return
		}
	}
}

func (w *watchdog) stop() { w.once.Do(func() { close(w.done) }) }
