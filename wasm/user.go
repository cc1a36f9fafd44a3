package wasm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/engine"
)

// Library is a wasm module of your own, built to the zerocall module ABI
// (wasm/module/zc_module.h), compiled once and checked: it exports one
// memory and the ABI's functions, and imports nothing. Its kernels become
// Funcs (Library.Func), and each handle or batch of a Func (Func.Handle,
// Func.Batch) is an instance of the module with regions reserved in its
// memory once.
type Library struct {
	eng    engine.Engine
	mod    engine.Module
	limit  time.Duration
	lookup wasmabi.Lookup
	lib    wasmabi.Lib
	clean  runtime.Cleanup
}

// Load compiles the module bin on cfg.Engine (wazero if nil) and checks
// it against the module ABI, with the same checks and errors on every
// runtime. A module that breaks it fails with an error wrapping
// zerocall.ErrLoad that says what is wrong: a missing export or one of the
// wrong type, an import, no memory, or a memory other than one plain
// wasm32 memory (64-bit, shared, or more than one), or a memory that
// starts past cfg.MemoryLimit, or tables (of function pointers) with no
// maximum size or more than 65536 elements between them, which no limit
// would bound. cfg.TimeLimit and cfg.MemoryLimit, if positive, bound
// the compile, every call into the module and the memory of each of its
// instances (zerocall.Config says how); its other fields do not apply.
// The module's custom sections (function names, debug information) are
// dropped before it is compiled: the ABI reads none of them, and an
// engine may spend what the module chooses on them (Wasmtime copies each
// frame's name into a trap's backtrace). A name section is read first
// all the same: one that is malformed is refused.
// On wazero a memory holds at most 4 GiB less a page: a module whose
// memory starts at the full 4 GiB is refused, and memory.grow fails past
// that (wazero's code makes every access of a full 4 GiB out of bounds).
func Load(bin []byte, cfg zerocall.Config) (*Library, error) {
	e := runtimeOf(cfg)
	if err := wasmabi.CheckLoad(bin, cfg, checkBinary); err != nil {
		return nil, err
	}
	// The memory limit is also the memory's maximum: the engine then
	// holds it in every state of an instance, stopped or not.
	bin = wasmabi.CapMemory(bin, cfg.MemoryLimit)
	bin = wasmabi.StripCustom(bin)
	memoryLimit := uint64(0)
	if cfg.MemoryLimit > 0 {
		memoryLimit = wasmabi.MemoryBytes(0, false, cfg.MemoryLimit)
	}
	m, err := compile(e, bin, cfg.TimeLimit, memoryLimit)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", zerocall.ErrLoad, err)
	}
	lookup := lookupIn(m)
	max, hasMax, memory := m.Memory()
	if err := wasmabi.CheckModule(lookup, memory, m.Imports()); err != nil {
		_ = m.Close()
		return nil, err
	}
	l := &Library{eng: e, mod: m, limit: cfg.TimeLimit, lookup: lookup, lib: wasmabi.Lib{Max: wasmabi.MemoryBytes(max, hasMax, cfg.MemoryLimit)}}
	// A Library dropped without Close releases its compiled module when
	// it is collected, as Close does: the runtime would keep it for the
	// life of the process. No view reaches a compiled module, and the
	// handles made from it keep working, as after Close.
	l.clean = runtime.AddCleanup(l, func(m engine.Module) { _ = m.Close() }, m)
	return l, nil
}

// compile compiles bin on e. A runtime that panics on a module, as
// wazero v1.12's validation did on one that checkBinary now refuses,
// fails the module instead: no panic of a runtime on a module's bytes
// reaches the caller.
//
// Under a time limit, the compile is bounded too (compileTime): a
// module of a few kilobytes can take a compiler minutes (one loop that
// branches back from each of a thousand places, each reading a thousand
// locals), and the limit is there for modules not trusted. Load then
// fails, and the runtime's compile, which may not stop at once (wazero's
// stops between functions), is closed when it ends.
func compile(e engine.Engine, bin []byte, timeLimit time.Duration, memoryLimit uint64) (engine.Module, error) {
	if timeLimit <= 0 {
		return compileNow(e, bin, 0, memoryLimit)
	}
	type compiled struct {
		m   engine.Module
		err error
	}
	done := make(chan compiled, 1)
	go func() {
		m, err := compileNow(e, bin, timeLimit, memoryLimit)
		done <- compiled{m, err}
	}()
	d := compileTime(len(bin), timeLimit)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case c := <-done:
		return c.m, c.err
	case <-t.C:
		go func() {
			if c := <-done; c.err == nil {
				_ = c.m.Close()
			}
		}()
		return nil, fmt.Errorf("%s took over %v to compile it, the most a module of %d bytes under a time limit of %v may take",
			e.Name(), d.Round(time.Millisecond), len(bin), timeLimit)
	}
}

// compileTime is the time a module of n bytes under the time limit
// timeLimit may take to compile: the limit, or a second and 10 ms a
// kilobyte if that is longer, ten times what wazero's compiler takes
// here.
func compileTime(n int, timeLimit time.Duration) time.Duration {
	return max(timeLimit, time.Second+time.Duration(n)*10*time.Microsecond)
}

// compileNow is compile's call of the runtime, with a panic its error.
func compileNow(e engine.Engine, bin []byte, timeLimit time.Duration, memoryLimit uint64) (m engine.Module, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("%s panicked compiling it: %v", e.Name(), p)
		}
	}()
	return e.Compile(bin, timeLimit, memoryLimit)
}

// lookupIn finds the signatures of m's exported functions.
func lookupIn(m engine.Module) wasmabi.Lookup {
	types := func(vs []byte) []wasmabi.Type {
		ts := make([]wasmabi.Type, len(vs))
		for i, v := range vs {
			ts[i] = wasmabi.Type(v)
		}
		return ts
	}
	return func(name string) (params, results []wasmabi.Type, ok bool) {
		p, r, ok := m.Func(name)
		if !ok {
			return nil, nil, false
		}
		return types(p), types(r), true
	}
}

// Close releases the compiled module. Handles and batches made before
// keep working until they are closed; Library.Func, Func.Handle and
// Func.Batch fail with zerocall.ErrClosed after it. Closing twice is
// harmless. A Library dropped without Close releases its module when the
// garbage collector reclaims it (and its Funcs).
func (l *Library) Close() error {
	if l == nil || l.mod == nil {
		return nil
	}
	// The runtime's Close must run once: wazero's counts the compiles of
	// one module's bytes, and a second Close would release another
	// Library's.
	return l.lib.Close(func() error {
		l.clean.Stop()
		return l.mod.Close()
	})
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
	if l == nil || l.mod == nil {
		return nil, funcs.Unmade("wasm.Library")
	}
	if err := wasmabi.CheckFunc(&l.lib, k, l.lookup, export); err != nil {
		return nil, err
	}
	return &Func{lib: l, k: k, export: export}, nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel {
	if f == nil {
		return nil
	}
	return f.k
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
	if f == nil || f.lib == nil {
		return nil, funcs.Unmade("wasm.Func")
	}
	return wasmabi.NewHandle(f.k, mem, caps, &f.lib.lib, func(items int) (wasmabi.Instance, error) { return newOwned(f, caps, items) })
}

// owned is the host of a kernel.Handle on any runtime: an instance of a
// Func's module with a region of its memory for each buffer of the
// kernel, and the kernel's frame, reserved once through the module's
// zc_reserve (the foreign-owned pattern). A call writes the lengths and
// scalars into the frame and calls the export through the runtime's
// call of it; nothing is allocated.
type owned struct {
	k      *kernel.Kernel
	export string
	eng    string        // the runtime's name, for errors
	limit  time.Duration // the Library's time limit, for errors
	inst   engine.Instance
	call   func(a, b uint32) (int64, error)
	fr     *wasmabi.Frame
	args   *kernel.Args // fr's lengths and scalars
	count  int          // the counted buffer of a Count kernel, or -1
	frame  uint32
	clean  runtime.Cleanup
	shared bool // a built-in kernel's host of an Instance, which releases inst

	// The batch export, for a Batch.
	bcall func(a, b uint32) (int64, error)
	bname string
	items uint32
}

// newOwned instantiates f's module for a handle with regions of caps,
// whose memory also holds a batch's descriptor of items items if items is
// positive, and returns its host, its regions' addresses, and where they
// lie in the module's memory. The Library's lock is held meanwhile.
func newOwned(f *Func, caps []int, items int) (wasmabi.Instance, error) {
	inst, err := instantiate(f.lib.mod, f.lib.limit, wasmabi.Needs(f.k, caps, items))
	if errors.Is(err, zerocall.ErrNoMemory) {
		return wasmabi.Instance{}, fmt.Errorf("kernel %s: %w", f.k.Name, err)
	}
	if err != nil {
		return wasmabi.Instance{}, err
	}
	o, views, l, mem, err := bind(f, inst, caps, items)
	if err != nil {
		_ = inst.Close()
		return wasmabi.Instance{}, err
	}
	// The host is reachable only through its Handle: when the Handle is
	// dropped without Close, so is the host, and the runtime's instance
	// is abandoned, its memory kept for any views still held.
	o.clean = runtime.AddCleanup(o, func(inst engine.Instance) {
		leak.Add()
		inst.Abandon()
	}, inst)
	return wasmabi.Instance{Host: o, Views: views, Layout: l, Mem: mem}, nil
}

// instantiate makes an instance of m and checks its ABI version; limit
// is m's time limit, for errors. spare is the memory its reservations
// will need: wazero, which copies a memory whole each time it grows,
// gets room for that much past the memory's end, which the module does
// not see, so that zc_reserve's growth into it copies nothing and costs
// the set-up calls no time against the limit.
func instantiate(m engine.Module, limit time.Duration, spare uint64) (engine.Instance, error) {
	var inst engine.Instance
	var err error
	if w, ok := m.(*wazeroModule); ok {
		inst, err = w.instantiate(spare)
	} else {
		inst, err = m.Instantiate()
	}
	if err != nil {
		if errors.Is(err, zerocall.ErrNoMemory) {
			return nil, err
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: instantiating: the start function ran past the time limit of %v during set-up", zerocall.ErrLoad, limit)
		}
		return nil, fmt.Errorf("%w: instantiating: %v", zerocall.ErrLoad, err)
	}
	v, err := inst.Call("zc_abi_version")
	if err := wasmabi.CheckVersion(int32(v), setUp(err, limit)); err != nil {
		_ = inst.Close()
		return nil, err
	}
	return inst, nil
}

// reserver returns a call of the instance's zc_reserve; limit is its
// module's time limit, for errors.
func reserver(inst engine.Instance, limit time.Duration) func(size, align uint32) (uint32, error) {
	return func(size, align uint32) (uint32, error) {
		off, err := inst.Call("zc_reserve", size, align)
		return off, setUp(err, limit)
	}
}

// setUp names a set-up call that the time limit stopped.
func setUp(err error, limit time.Duration) error {
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("ran past the time limit of %v during set-up", limit)
	}
	return err
}

// bind reserves the frame, regions and batch items in inst, and takes the
// views and calls every call uses.
func bind(f *Func, inst engine.Instance, caps []int, items int) (*owned, []unsafe.Pointer, wasmabi.Layout, []byte, error) {
	l, err := wasmabi.Reserve(f.k, caps, items, reserver(inst, f.lib.limit), func() uint64 { return uint64(len(inst.Memory())) })
	if err != nil {
		return nil, nil, l, nil, err
	}
	buf := inst.Memory()
	o := &owned{k: f.k, export: f.export, eng: f.lib.eng.Name(), limit: f.lib.limit, inst: inst, frame: l.Frame}
	if o.call, err = inst.Export(f.export, 1); err != nil {
		return nil, nil, l, nil, fmt.Errorf("%w: %s: %v", zerocall.ErrLoad, f.export, err)
	}
	if items > 0 {
		o.bname, o.items = f.export+wasmabi.BatchSuffix, l.Items
		if o.bcall, err = inst.Export(o.bname, 2); err != nil {
			return nil, nil, l, nil, fmt.Errorf("%w: %s: %v", zerocall.ErrLoad, o.bname, err)
		}
	}
	nb := len(f.k.Buffers)
	fr, views := wasmabi.Bind(buf, l, nb)
	o.bindFrame(fr)
	return o, views[:nb], l, buf, nil
}

// Close releases the module instance; the Handle calls it once. A
// built-in kernel's host of an Instance leaves it to the Instance.
func (o *owned) Close() error {
	if o.shared {
		return nil
	}
	o.clean.Stop()
	return o.inst.Close()
}

// bindFrame makes fr, in module memory, the frame of o's calls.
func (o *owned) bindFrame(fr *wasmabi.Frame) {
	o.fr, o.args, o.count = fr, fr.Args(), -1
	if o.k.Result == kernel.Count {
		o.count = o.k.CountOf
	}
}

// Frame returns the frame's lengths and scalars in module memory, where
// a Handle writes each call's arguments.
func (o *owned) Frame() *kernel.Args { return o.args }

// Run calls the export on a's lengths and scalars, which the Handle has
// checked and written into the frame in module memory (a is o.args);
// those of an Instance's call are written there first. The module may
// write its memory, frame included, while it runs: the count is checked
// here against the frame as the module left it, and the callers check it
// again against the length they checked (the Handle, the Instance's
// n-k+1, the Batch), which the module cannot reach.
func (o *owned) Run(a *kernel.Args) (kernel.Return, error) {
	fa := o.args
	if a != fa {
		o.fr.Write(o.k, a)
	}
	o.fr.Result = 0 // a kernel that stores none returns 0, not an earlier call's
	ret, err := o.call(o.frame, 0)
	if err != nil {
		return kernel.Return{}, o.broken(o.export, err)
	}
	if ret >= 0 && (o.count < 0 || ret <= int64(fa.Len[o.count&(len(fa.Len)-1)])) {
		return kernel.Return{N: ret, F: o.fr.Result}, nil
	}
	return o.k.Returned(ret, o.fr.Result, fa)
}

// RunBatch calls the batch export on the first n items.
func (o *owned) RunBatch(n int) error {
	if _, err := o.bcall(o.items, uint32(n)); err != nil {
		return o.broken(o.bname, err)
	}
	return nil
}

// broken returns the error of a failed call of the export name: the
// instance's state is unknown, so it wraps ErrBroken.
func (o *owned) broken(name string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s %s ran past the time limit of %v and was stopped", errs.Broken, o.eng, name, o.limit)
	}
	return fmt.Errorf("%w: %s %s: %v", errs.Broken, o.eng, name, err)
}
