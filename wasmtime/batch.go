package wasmtime

import (
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Batch is an Owned that also runs many calls of its kernel in one
// crossing, through the kernel's batch export: package wasm's Batch on
// Wasmtime; see there.
type Batch struct {
	*Owned
	name  string
	items uint32
	q     regionset.Queue
}

// NewBatch instantiates f's module with a region of caps[i] elements for
// each buffer i of f's kernel and a batch of items items; see
// wasm.NewBatch.
func NewBatch(f *Func, items int, caps ...int) (*Batch, error) {
	if err := regionset.CheckItems(items); err != nil {
		return nil, err
	}
	name := f.export + wasmabi.BatchSuffix
	if err := wasmabi.CheckBatch(f.lib.funcs, f.export); err != nil {
		return nil, err
	}
	h, l, mem, err := newOwned(f, caps, items)
	if err != nil {
		return nil, err
	}
	b := &Batch{Owned: h, name: name, items: l.Items}
	wasmabi.InitBatch(&b.q, &h.set, mem, l, items)
	return b, nil
}

// Items returns the number of calls the batch holds.
func (b *Batch) Items() int { return b.q.Cap() }

// Len returns the number of calls queued.
func (b *Batch) Len() int { return b.q.Len() }

// Reset drops the queued calls.
func (b *Batch) Reset() { b.q.Reset() }

// Add queues a call; see wasm.Batch.Add.
func (b *Batch) Add(a *kernel.Args, off ...int) (int, error) { return b.q.Add(a, off) }

// AddSeries queues count calls with a's lengths and scalars, call k on
// the elements of region i from off[i] + k·step[i] on (offsets and steps
// left out are 0), and returns the index of the first: many calls over
// data laid out at a stride, checked once. The checks of Add apply to the
// whole series; a refused series queues nothing.
func (b *Batch) AddSeries(count int, a *kernel.Args, off, step []int) (int, error) {
	return b.q.AddSeries(count, a, off, step)
}

// Run runs the queued calls in one call of the batch export; see
// wasm.Batch.Run.
func (b *Batch) Run() (int, error) { return b.q.Run(b) }

// Rerun runs the calls of the last Run again, as they were queued, on
// what the regions hold now, in one crossing: for a fixed set of calls
// whose inputs change, no Add per call. It fails with
// zerocall.ErrArgument if nothing ran yet or calls were queued since.
func (b *Batch) Rerun() (int, error) { return b.q.Rerun(b) }

// Result returns the outcome of call j of the last Run.
func (b *Batch) Result(j int) (kernel.Return, error) { return b.q.Result(j) }

// Stream makes n calls through the batch; see wasm.Batch.Stream.
func (b *Batch) Stream(n int, put func(i int, a *kernel.Args, off []int) error,
	got func(i int, ret kernel.Return, err error) error) error {
	return b.q.Stream(b, n, put, got)
}

// RunBatch calls the batch export on the first n items. It is the
// batch's regionset.BatchRunner, not an API: use Run.
func (b *Batch) RunBatch(n int) error {
	_, err := b.run(b.bk, b.items, int32(n), b.name)
	return err
}
