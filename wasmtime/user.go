package wasmtime

// #include "shim.h"
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"time"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Library is a wasm module of your own, built to the zerocall module ABI
// (wasm/module/zc_module.h), compiled once by Wasmtime and checked as
// package wasm checks it on wazero: the same errors, wrapping
// zerocall.ErrLoad.
type Library struct {
	engine *wt.Engine
	mod    *wt.Module
	limit  time.Duration
	funcs  wasmabi.Lookup
	ticks  chan struct{} // closed by Close to stop the epoch ticker
	lib    wasmabi.Lib
}

// Load compiles the module bin and checks it against the module ABI, as
// wasm.Load does: a memory other than one plain wasm32 memory (64-bit,
// shared, or more than one) is refused too. With cfg.TimeLimit set, the
// module runs on an engine of its own with epoch interruption: a ticker
// advances the epoch four times per limit, and a call that has not
// returned four to five ticks after it started traps, in set-up as in a
// kernel call.
func Load(bin []byte, cfg zerocall.Config) (*Library, error) {
	if err := wasmabi.CheckLoad(bin, cfg, nil); err != nil {
		return nil, err
	}
	l := &Library{engine: engineOf(), limit: cfg.TimeLimit}
	if cfg.TimeLimit > 0 {
		c := wt.NewConfig()
		c.SetEpochInterruption(true)
		l.engine = wt.NewEngineWithConfig(c)
	}
	mod, err := wt.NewModule(l.engine, bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", zerocall.ErrLoad, oneLine(err.Error()))
	}
	lookup, memory, imports := describe(mod)
	if err := wasmabi.CheckModule(lookup, memory != nil, imports); err != nil {
		mod.Close()
		return nil, err
	}
	ok, pages := memory.Maximum()
	l.mod, l.funcs, l.lib.Max = mod, lookup, wasmabi.MemoryBytes(pages, ok)
	if l.limit > 0 {
		l.ticks = make(chan struct{})
		go tick(l.engine, l.limit/watchSamples, l.ticks)
	}
	return l, nil
}

// watchSamples is how many epochs a time limit spans.
const watchSamples = 4

// tick advances e's epoch every period until done is closed.
func tick(e *wt.Engine, period time.Duration, done chan struct{}) {
	t := time.NewTicker(max(period, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			e.IncrementEpoch()
		}
	}
}

// Close releases the compiled module and stops the epoch ticker. Handles
// and batches made before keep working until they are closed, though no
// longer bounded by the time limit; Library.Func, Func.Handle and
// Func.Batch fail with zerocall.ErrClosed after it. Closing twice is
// harmless.
func (l *Library) Close() error {
	return l.lib.Close(func() error {
		if l.ticks != nil {
			close(l.ticks)
		}
		l.mod.Close()
		return nil
	})
}

// Func is a kernel export of a Library bound to the description of the
// kernel it implements.
type Func struct {
	lib    *Library
	k      *kernel.Kernel
	export string
}

// Func returns the export named export as an implementation of k; see
// wasm.Library.Func.
func (l *Library) Func(k *kernel.Kernel, export string) (*Func, error) {
	if err := wasmabi.CheckFunc(&l.lib, k, l.funcs, export); err != nil {
		return nil, err
	}
	return &Func{lib: l, k: k, export: export}, nil
}

// Kernel returns the description f implements.
func (f *Func) Kernel() *kernel.Kernel { return f.k }

// owned is the Wasmtime host of a kernel.Handle: an instance of a Func's
// module in a store of its own, with a region of its memory for each
// buffer of the kernel and the kernel's frame, reserved once. A call
// writes the lengths and scalars into the frame and calls the export
// through the shim's unchecked call, which also checks that memory did
// not grow; nothing is allocated.
type owned struct {
	f     *Func
	store *wt.Store
	k     *C.zc_kcall
	bk    *C.zc_kcall // the batch export's, for a Batch
	fr    *wasmabi.Frame
	frame uint32
	clean runtime.Cleanup
	limit time.Duration // the Library's time limit
	// shared marks a built-in kernel's host of an Instance, whose store
	// and calls the Instance releases.
	shared bool

	// The batch export's name and descriptor, for a Batch.
	bname string
	items uint32
}

// Handle instantiates f's module in a new store and reserves the frame
// and a region of caps[i] elements for each buffer i, and returns the
// instance as a kernel.Handle; mem must be zerocall.Module. See
// wasm.Func.Handle for the errors.
func (f *Func) Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error) {
	return wasmabi.NewHandle(f.k, mem, caps, &f.lib.lib, func(items int) (wasmabi.Instance, error) { return newOwned(f, caps, items) })
}

// newOwned instantiates f's module for a handle with regions of caps,
// whose memory also holds a batch's descriptor of items items if items is
// positive, and returns its host, its regions' addresses, and where they
// lie in the module's memory. The Library's lock is held meanwhile.
func newOwned(f *Func, caps []int, items int) (in wasmabi.Instance, err error) {
	store := wt.NewStore(f.lib.engine)
	o, views, l, mem, err := bindUser(f, store, caps, items)
	if err != nil {
		store.Close()
		return in, err
	}
	// The host is reachable only through its Handle: when the Handle is
	// dropped without Close, so is the host.
	o.clean = runtime.AddCleanup(o, func(r userRelease) {
		leak.Add()
		r.abandon()
	}, userRelease{store, o.k, o.bk})
	return wasmabi.Instance{Host: o, Views: views, Layout: l, Mem: mem}, nil
}

// bindUser instantiates the module in store, reserves the frame, regions
// and batch items, and makes the calls every call uses.
func bindUser(f *Func, store *wt.Store, caps []int, items int) (*owned, []unsafe.Pointer, wasmabi.Layout, []byte, error) {
	inst, mem, err := instantiate(store, f.lib.mod, f.lib.limit)
	if err != nil {
		return nil, nil, wasmabi.Layout{}, nil, err
	}
	l, err := wasmabi.Reserve(f.k, caps, items, reserver(store, inst, f.lib.limit), func() uint64 { return uint64(mem.DataSize(store)) })
	if err != nil {
		return nil, nil, l, nil, err
	}
	// Wasmtime reserves a 32-bit memory's whole address range up front, so
	// the base never moves (Load refuses any other memory: a 64-bit one
	// may move when it grows); a module that grows memory anyway is
	// caught by the shim after the call.
	buf := unsafe.Slice((*byte)(mem.Data(store)), mem.DataSize(store))
	var deadline uint64
	if f.lib.limit > 0 {
		deadline = watchSamples + 1
	}
	kc, err := kcall(store, inst, mem, f.export, 1, deadline)
	if err != nil {
		return nil, nil, l, nil, err
	}
	o := &owned{f: f, store: store, k: kc, frame: l.Frame, limit: f.lib.limit}
	if items > 0 {
		o.bname, o.items = f.export+wasmabi.BatchSuffix, l.Items
		if o.bk, err = kcall(store, inst, mem, f.export+wasmabi.BatchSuffix, 2, deadline); err != nil {
			C.zc_kcall_free(kc)
			return nil, nil, l, nil, err
		}
	}
	nb := len(f.k.Buffers)
	fr, views := wasmabi.Bind(buf, l, nb)
	o.fr = fr
	return o, views[:nb], l, buf, nil
}

// userRelease is what the backstop releases for a handle dropped without
// Close.
type userRelease struct {
	store *wt.Store
	k, bk *C.zc_kcall
}

func (r userRelease) abandon() {
	C.zc_kcall_free(r.k)
	C.zc_kcall_free(r.bk)
	abandon(r.store)
}

// Close deletes the store, and with it the instance and its memory; the
// Handle calls it once. A built-in kernel's host of an Instance leaves it
// to the Instance.
func (o *owned) Close() error {
	if o.shared {
		return nil
	}
	o.clean.Stop()
	C.zc_kcall_free(o.k)
	C.zc_kcall_free(o.bk)
	o.k, o.bk = nil, nil
	o.store.Close()
	return nil
}

// Run writes a's lengths and scalars into the frame and calls the export
// through the shim.
func (o *owned) Run(a *kernel.Args) (kernel.Return, error) {
	o.fr.Write(o.f.k, a)
	ret, err := o.run(o.k, o.frame, 0, o.f.export)
	if err != nil {
		return kernel.Return{}, err
	}
	return o.f.k.Returned(ret, o.fr.Result, a)
}

// RunBatch calls the batch export on the first n items.
func (o *owned) RunBatch(n int) error {
	_, err := o.run(o.bk, o.items, int32(n), o.bname)
	return err
}

// run calls k as the package's run does, naming a call stopped by the
// time limit.
func (h *owned) run(k *C.zc_kcall, at uint32, n int32, name string) (int64, error) {
	ret, err := run(k, at, n, name)
	if err != nil && h.limit > 0 && strings.Contains(err.Error(), "interrupt") {
		return 0, fmt.Errorf("%w: wasmtime %s ran past the time limit of %v and was stopped", errs.Broken, name, h.limit)
	}
	return ret, err
}
