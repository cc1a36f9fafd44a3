//go:build cgo

package native

// #include "zc_go.h"
import "C"

import (
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// Batch is an Owned that also runs many calls of its kernel in one
// crossing: each call queued by Add is an item of a descriptor, in the
// same memory as the regions, with lengths, scalars and offsets into the
// regions of its own, and Run hands the whole descriptor to one C loop
// (zc_run_batch of zc_kernel.h). A call of a small kernel costs a
// few nanoseconds this way, against a cgo crossing of tens per call.
// Like Owned it has no lock; the Owned's methods (View, Call, Copy) work
// on the same regions.
type Batch struct {
	*Owned
	desc C.uintptr_t
	q    regionset.Queue
}

// NewBatch returns a Batch of items items over regions owned as mem says,
// with caps[i] elements for buffer i of f's kernel; see NewOwned.
func NewBatch(f *Func, mem Memory, items int, caps ...int) (*Batch, error) {
	if err := regionset.CheckItems(items); err != nil {
		return nil, err
	}
	h, p, err := newOwned(f, mem, caps, items)
	if err != nil {
		return nil, err
	}
	b := &Batch{Owned: h, desc: C.uintptr_t(uintptr(p))}
	var base [kernel.MaxBuffers]uint64
	for i := range h.set.N {
		base[i] = uint64(uintptr(h.set.Views[i]))
	}
	b.q.Init(&h.set, p, items, base)
	return b, nil
}

// Items returns the number of calls the batch holds. (Cap gives a
// region's capacity.)
func (b *Batch) Items() int { return b.q.Cap() }

// Len returns the number of calls queued.
func (b *Batch) Len() int { return b.q.Len() }

// Reset drops the queued calls.
func (b *Batch) Reset() { b.q.Reset() }

// Add queues a call on a.Len[i] elements of region i from element off[i]
// on (offsets left out are 0), with a's scalars, and returns its index
// in the batch. The checks of Call apply, and a range past its region
// fails with zerocall.ErrCapacity; a full batch fails with ErrCapacity
// too. A refused call queues nothing.
func (b *Batch) Add(a *kernel.Args, off ...int) (int, error) { return b.q.Add(a, off) }

// AddSeries queues count calls with a's lengths and scalars, call k on
// the elements of region i from off[i] + k·step[i] on (offsets and steps
// left out are 0), and returns the index of the first: many calls over
// data laid out at a stride, checked once. The checks of Add apply to the
// whole series; a refused series queues nothing.
func (b *Batch) AddSeries(count int, a *kernel.Args, off, step []int) (int, error) {
	return b.q.AddSeries(count, a, off, step)
}

// Run runs the queued calls, in order, in one crossing, and returns how
// many ran; Result reads their outcomes until the next Run.
func (b *Batch) Run() (int, error) { return b.q.Run(b) }

// Rerun runs the calls of the last Run again, as they were queued, on
// what the regions hold now, in one crossing: for a fixed set of calls
// whose inputs change, no Add per call. It fails with
// zerocall.ErrArgument if nothing ran yet or calls were queued since.
func (b *Batch) Rerun() (int, error) { return b.q.Rerun(b) }

// Result returns the outcome of call j of the last Run. A call that
// failed (its kernel returned an error) does not affect the others.
func (b *Batch) Result(j int) (kernel.Return, error) { return b.q.Result(j) }

// Stream makes n calls, any number, through the batch, as many per
// crossing as it holds. put fills in call i's lengths, scalars and region
// offsets (they come zeroed) and writes its inputs into the regions; got
// receives its outcome. Calls are queued until the batch is full, run in
// one crossing, and handed to got in order; a call that Add refuses
// reaches got at once, with its error. Call i is item i mod Items() of
// its batch when none is refused, so put may place its data by that, and
// reuse the regions from one batch to the next. An error from put or got
// stops the stream and is returned, as is one that breaks the handle.
func (b *Batch) Stream(n int, put func(i int, a *kernel.Args, off []int) error,
	got func(i int, ret kernel.Return, err error) error) error {
	return b.q.Stream(b, n, put, got)
}

// RunBatch runs the first n items in one C call. It is the batch's
// regionset.BatchRunner, not an API: use Run.
func (b *Batch) RunBatch(n int) error {
	C.zcg_batch(b.f.fn, b.f.ctx, b.desc, C.int64_t(n))
	return nil
}
