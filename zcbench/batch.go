package zcbench

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// Batch is a handle that runs many calls of its kernel in one crossing,
// as every host has one (native.Batch, wasm.Batch, wasmtime.Batch).
type Batch interface {
	Add(a *kernel.Args, off ...int) (int, error)
	Run() (int, error)
	Result(j int) (kernel.Return, error)
	Region(i int) kernel.Slice
	Close() error
}

// BatchItems is the most calls a batched implementation queues per
// crossing; fewer when that many calls of a size would not fit
// BatchElements.
const BatchItems = 1000

// BatchElements bounds the elements of each region of a batched
// implementation, the calls of one batch side by side, so that a batch's
// data stays in cache as a single call's does: at 1<<15 float64, 256 KiB.
// A batch of calls as large as that holds fewer of them, down to one.
const BatchElements = 1 << 15

// BatchImpl returns an implementation that makes calls of size n as the
// calls of a batch: the inputs of in are written once into a slot of the
// regions per call of the batch, and each timed call queues one call per
// slot (Add), runs the batch in one crossing (Run) and reads every result
// (Result). Its times are per call of the kernel (Impl.Calls), so a call
// costs its share of the crossing plus its own work. newBatch makes a
// batch of items calls with the given capacities; check, if not nil,
// checks the return and outputs (the slices of its slot) of one call of
// size n before any is timed.
func BatchImpl(name, label, notes string, newBatch func(items int, caps []int) (Batch, error), in Inputs,
	check func(n int, ret kernel.Return, got []kernel.Slice) error) Impl {
	items := func(bufs []kernel.Slice) int {
		longest := 1
		for _, b := range bufs {
			longest = max(longest, b.Len())
		}
		return max(1, min(BatchItems, BatchElements/longest))
	}
	return Impl{Name: name, Label: label, Notes: notes,
		Calls: func(n int) int { bufs, _ := in(n); return items(bufs) },
		Prepare: func(n int) (func() error, func(), error) {
			bufs, a := in(n)
			items := items(bufs)
			caps := make([]int, len(bufs))
			for i, b := range bufs {
				caps[i] = items * max(b.Len(), 1)
				a.Len[i] = b.Len()
			}
			bt, err := newBatch(items, caps)
			if err != nil {
				return nil, nil, err
			}
			// slot returns call j's part of region i.
			slot := func(i, j int) kernel.Slice {
				r, l := bt.Region(i), bufs[i].Len()
				return kernel.SliceAt(unsafe.Add(r.Pointer(), j*l*r.Type().Size()), l, r.Type())
			}
			for j := range items {
				for i, b := range bufs {
					copy(slot(i, j).Bytes(), b.Bytes())
				}
			}
			// offs holds each call's offsets, in turn.
			offs := make([][]int, items)
			for j := range offs {
				offs[j] = make([]int, len(bufs))
				for i, b := range bufs {
					offs[j][i] = j * b.Len()
				}
			}
			call := func() error {
				for j := range items {
					if _, err := bt.Add(&a, offs[j]...); err != nil {
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
			err = call()
			if err == nil && check != nil {
				var r kernel.Return
				if r, err = bt.Result(0); err == nil {
					got := make([]kernel.Slice, len(bufs))
					for i := range bufs {
						got[i] = slot(i, 0)
					}
					err = check(n, r, got)
				}
			}
			if err != nil {
				bt.Close()
				return nil, nil, fmt.Errorf("%s: %w", name, err)
			}
			return call, func() { bt.Close() }, nil
		}}
}
