package zcbench

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	hooks "github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/verify"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// hostLabel is how the table calls a host.
func hostLabel(h string) string {
	if h == "asm" {
		return "Go asm"
	}
	return h
}

// rowName is the row name of path (empty for the one-shot call; else
// "pin-per-call" or <memory>-copy, -inplace or -batch) of the Func
// named name (its host, with a suffix for a second Func of one host): the
// names the kit has always given these rows, which benchmark lines and
// the documents' tables carry. A path without an old name (a C-owned copy
// or batch) is name-path.
func rowName(name, path string) string {
	old := map[string]string{
		"pin-per-call": "direct", "pinned-copy": "prealloc", "pinned-inplace": "owned",
		"cowned-inplace": "cowned", "pinned-batch": "batch",
		"module-copy": "copy", "module-inplace": "inplace", "module-batch": "batch",
	}
	switch {
	case path == "" && (strings.HasPrefix(name, "cgo") || second(name)):
		// A second Func's one-shot row: asm-2 would read as asm run with
		// GOMAXPROCS 2 in a benchmark line.
		return name + "-straight"
	case path == "":
		return name
	case old[path] != "":
		return name + "-" + old[path]
	}
	return name + "-" + path
}

// second reports whether name is that of a second Func of a host, with
// named's suffix -2, -3, ...
func second(name string) bool {
	i := strings.LastIndexByte(name, '-')
	_, err := strconv.Atoi(name[i+1:])
	return i > 0 && err == nil
}

// memLabel and memNotes say what a kind of memory is, in a row's label
// and notes.
func memLabel(m zerocall.Memory) string {
	if m == zerocall.COwned {
		return "C-owned"
	}
	return m.String()
}

func memNotes(m zerocall.Memory) string {
	switch m {
	case zerocall.Pinned:
		return "pinned Go regions"
	case zerocall.COwned:
		return "C-owned regions"
	}
	return "regions in the module's memory"
}

// named returns s.Func, then s.Also, each with the name its rows start
// with: its host's, and a suffix -2, -3, ... for a second Func of the
// same host.
func named(s zctest.Spec) ([]zctest.Func, []string) {
	fs := append([]zctest.Func{s.Func}, s.Also...)
	names := make([]string, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		h := funcs.Host(f)
		seen[h]++
		names[i] = h
		if seen[h] > 1 {
			names[i] = fmt.Sprintf("%s-%d", h, seen[h])
		}
	}
	return fs, names
}

// kit is a Spec with the Options that Impls and Parallel use: what makes
// and checks a call's data.
type kit struct {
	s zctest.Spec
	o Options
}

// inputs returns the buffers and scalars of a call of size n.
func (k kit) inputs(n int) ([]kernel.Slice, kernel.Args, error) {
	desc := k.s.Func.Kernel()
	var bufs []kernel.Slice
	if k.o.Inputs != nil {
		bufs = k.o.Inputs(n)
		if len(bufs) != len(desc.Buffers) {
			return nil, kernel.Args{}, fmt.Errorf("zcbench: Inputs(%d) returned %d buffers, kernel %s has %d", n, len(bufs), desc.Name, len(desc.Buffers))
		}
	} else {
		lens := k.lens(n)
		if len(lens) != len(desc.Buffers) {
			return nil, kernel.Args{}, fmt.Errorf("zcbench: Lens(%d) returned %d lengths, kernel %s has %d buffers", n, len(lens), desc.Name, len(desc.Buffers))
		}
		bufs = make([]kernel.Slice, len(desc.Buffers))
		for i, b := range desc.Buffers {
			if lens[i] < 0 {
				return nil, kernel.Args{}, fmt.Errorf("zcbench: Lens(%d) returned a length of %d for buffer %s of kernel %s", n, lens[i], b.Name, desc.Name)
			}
			bufs[i] = fill(b.Type, lens[i], uint64(i)*7919+1)
		}
	}
	var a kernel.Args
	if k.s.Args != nil {
		a = k.s.Args(n)
	}
	for i, b := range bufs {
		a.Len[i] = b.Len()
	}
	return bufs, a, nil
}

// lens returns the buffers' lengths at size n.
func (k kit) lens(n int) []int {
	if k.o.Inputs != nil {
		bufs := k.o.Inputs(n)
		ls := make([]int, len(bufs))
		for i, b := range bufs {
			ls[i] = b.Len()
		}
		return ls
	}
	if k.s.Lens != nil {
		return k.s.Lens(n)
	}
	ls := make([]int, len(k.s.Func.Kernel().Buffers))
	for i := range ls {
		ls[i] = n
	}
	return ls
}

// caps returns a region's capacity per buffer for a call of the lengths
// of bufs, times items.
func caps(bufs []kernel.Slice, items int) []int {
	cs := make([]int, len(bufs))
	for i, b := range bufs {
		cs[i] = items * max(b.Len(), 1)
	}
	return cs
}

// check compares one call's outputs (got, and what it returned) with the
// reference's on in, the call's inputs as they were before it.
func (k kit) check(a kernel.Args, in, got []kernel.Slice, ret kernel.Return) error {
	desc := k.s.Func.Kernel()
	if err := verify.Untouched(desc, in, got, ret); err != nil {
		return err
	}
	want := clone(in)
	wa := a
	wret := k.s.Ref(&wa, want)
	if k.s.Compare != nil {
		return k.s.Compare(&a, in, zctest.Result{Bufs: got, Return: ret}, zctest.Result{Bufs: want, Return: wret})
	}
	if err := verify.Outputs(desc, k.s.Tolerance, got, ret, want, wret); err != nil {
		return fmt.Errorf("%w, from the Go version (Ref)", err)
	}
	return nil
}

// verified makes the first call of a row, on bufs (with a's scalars),
// whose outputs land in out (bufs, or the views of a handle's regions),
// and checks it against the reference before the row is timed. Its
// error is the row's, which the caller names.
func (k kit) verified(a kernel.Args, bufs, out []kernel.Slice, call func() (kernel.Return, error)) error {
	in := clone(bufs)
	ret, err := call()
	if err == nil {
		err = k.check(a, in, out, ret)
	}
	return err
}

// Impls returns the rows Bench, Sweep and Report measure for s: its Go
// version (s.Ref), the row "go", then each path of s.Func and of each of
// s.Also, found by what the Func has, with no regard to its host, as
// zctest.Run finds them:
//
//   - its one-shot Call on your slices (a *native.Func, row cgo-straight;
//     an *asm.Func, row asm);
//   - your slices pinned and unpinned around each call (a *native.Func,
//     row cgo-direct), the baseline the handles beat;
//   - a handle in each kind of memory its host has, called on your
//     slices, copied in and out (rows cgo-prealloc for pinned memory,
//     cgo-cowned-copy, wazero-copy, wasmtime-copy), and on views of its
//     regions that hold the inputs, with nothing copied (rows cgo-owned,
//     cgo-cowned, wazero-inplace, wasmtime-inplace);
//   - a batch in each kind of memory (rows cgo-batch, cgo-cowned-batch,
//     wazero-batch, wasmtime-batch): calls of the size side by side in its
//     regions, up to a thousand per crossing, its times per call (a Func
//     whose Batch fails, a wasm module with no batch export, has none).
//
// A second Func of one host gets a suffix -2, -3, ... after the host
// (cgo-2-straight, ...). Each row's first call, at each size, is checked
// against s.Ref (within s.Tolerance, or by s.Compare) before it is timed:
// a wrong answer is an error, never a time.
//
// The rows run on the data of o.Inputs, or on the kit's own; o's other
// fields are not used. Edit the rows (drop some, relabel them) and pass
// them as o.Impls to measure those instead.
func Impls(s zctest.Spec, o Options) []Impl {
	if s.Func == nil || s.Ref == nil {
		return nil
	}
	k := kit{s, o}
	impls := []Impl{{Name: "go", Label: "Pure Go", Notes: "your Go version (Ref)", Go: true,
		Prepare: func(n int) (func() error, func(), error) {
			bufs, a, err := k.inputs(n)
			if err != nil {
				return nil, nil, err
			}
			return func() error { s.Ref(&a, bufs); return nil }, nil, nil
		}}}
	fs, names := named(s)
	for fi, f := range fs {
		name, label := names[fi], hostLabel(names[fi])
		if c, ok := f.(funcs.OneShot); ok {
			impls = append(impls, k.perCall(rowName(name, ""), label+" straight", "Call on your slices, passed straight", c.Call))
		}
		if pin := hooks.PinPerCall; pin != nil {
			if call := pin(f); call != nil {
				impls = append(impls, k.perCall(rowName(name, "pin-per-call"), label+" pin per call", "your slices pinned and unpinned around each call", call))
			}
		}
		b, ok := f.(funcs.Binder)
		if !ok {
			continue
		}
		ones := make([]int, len(f.Kernel().Buffers))
		for i := range ones {
			ones[i] = 1
		}
		for _, mem := range funcs.Kinds(b, f.Kernel()) {
			path, ml := mem.String(), label+" "+memLabel(mem)
			impls = append(impls,
				k.handle(rowName(name, path+"-copy"), ml+" copy", "your slices copied into and out of "+memNotes(mem), b, mem, false),
				k.handle(rowName(name, path+"-inplace"), ml+" in-place", "you fill "+memNotes(mem)+"; nothing copied", b, mem, true))
			if bt, err := b.Batch(mem, 1, ones...); err == nil {
				_ = bt.Close()
				impls = append(impls, k.batch(rowName(name, path+"-batch"), ml+" batched", "calls queued, up to a thousand per crossing, "+memNotes(mem), b, mem))
			}
		}
	}
	return impls
}

// perCall is the row of a call on your slices.
func (k kit) perCall(name, label, notes string, call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)) Impl {
	return Impl{Name: name, Label: label, Notes: notes, Prepare: func(n int) (func() error, func(), error) {
		bufs, a, err := k.inputs(n)
		if err != nil {
			return nil, nil, err
		}
		if err := k.verified(a, bufs, bufs, func() (kernel.Return, error) { return call(&a, bufs...) }); err != nil {
			return nil, nil, err
		}
		return func() error { _, err := call(&a, bufs...); return err }, nil, nil
	}}
}

// handle is the row of a handle in memory mem, called on your slices or,
// inPlace, on views of its regions, which hold the inputs.
func (k kit) handle(name, label, notes string, b funcs.Binder, mem zerocall.Memory, inPlace bool) Impl {
	return Impl{Name: name, Label: label, Notes: notes, Prepare: func(n int) (func() error, func(), error) {
		bufs, a, err := k.inputs(n)
		if err != nil {
			return nil, nil, err
		}
		h, err := b.Handle(mem, caps(bufs, 1)...)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		args := bufs
		if inPlace {
			args = make([]kernel.Slice, len(bufs))
			for i, s := range bufs {
				r := h.Region(i)
				copy(funcs.Bytes(r), funcs.Bytes(s))
				args[i] = funcs.SliceAt(r.Pointer(), s.Len(), r.Type())
			}
		}
		if err := k.verified(a, bufs, args, func() (kernel.Return, error) { return h.Call(&a, args...) }); err != nil {
			h.Close()
			return nil, nil, err
		}
		return func() error { _, err := h.Call(&a, args...); return err }, func() { h.Close() }, nil
	}}
}

// batchItems is the most calls a batch row queues per crossing; fewer
// when that many calls of a size would not fit batchElements.
const batchItems = 1000

// batchElements bounds the elements of each region of a batch row, the
// calls of one batch side by side, so that a batch's data stays in cache
// as a single call's does: at 1<<15 float64, 256 KiB. A batch of calls as
// large as that holds fewer of them, down to one.
const batchElements = 1 << 15

// itemsFor returns the calls of a batch of calls of lengths ls.
func itemsFor(ls []int) int {
	longest := 1
	for _, l := range ls {
		longest = max(longest, l)
	}
	return max(1, min(batchItems, batchElements/longest))
}

// batch is the row of a batch in memory mem: the inputs written once
// into a slot of the regions per call of the batch, and each timed call
// queues one call per slot (Add), runs the batch in one crossing (Run)
// and reads every result (Result). Its times are per call of the kernel
// (Impl.Calls), so a call costs its share of the crossing plus its own
// work.
func (k kit) batch(name, label, notes string, b funcs.Binder, mem zerocall.Memory) Impl {
	return Impl{Name: name, Label: label, Notes: notes,
		Calls: func(n int) int { return itemsFor(k.lens(n)) },
		Prepare: func(n int) (func() error, func(), error) {
			bufs, a, err := k.inputs(n)
			if err != nil {
				return nil, nil, err
			}
			ls := make([]int, len(bufs))
			for i, s := range bufs {
				ls[i] = s.Len()
			}
			items := itemsFor(ls)
			bt, err := b.Batch(mem, items, caps(bufs, items)...)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", name, err)
			}
			// slot returns call j's part of region i.
			slot := func(i, j int) kernel.Slice {
				r := bt.Region(i)
				return funcs.Sub(r, j*ls[i], ls[i])
			}
			for j := range items {
				for i, s := range bufs {
					copy(funcs.Bytes(slot(i, j)), funcs.Bytes(s))
				}
			}
			// slots holds each call's slices, in turn.
			slots := make([][]kernel.Slice, items)
			for j := range slots {
				slots[j] = make([]kernel.Slice, len(bufs))
				for i := range bufs {
					slots[j][i] = slot(i, j)
				}
			}
			call := func() error {
				for j := range items {
					if _, err := bt.Add(&a, slots[j]...); err != nil {
						return err
					}
				}
				if _, err := bt.Run(); err != nil {
					return err
				}
				for j := range items {
					if _, err := bt.Result(j); err != nil {
						return err
					}
				}
				return nil
			}
			first := make([]kernel.Slice, len(bufs))
			for i := range bufs {
				first[i] = slot(i, 0)
			}
			if err := k.verified(a, bufs, first, func() (kernel.Return, error) {
				if err := call(); err != nil {
					return kernel.Return{}, err
				}
				return bt.Result(0)
			}); err != nil {
				bt.Close()
				return nil, nil, err
			}
			return call, func() { bt.Close() }, nil
		}}
}
