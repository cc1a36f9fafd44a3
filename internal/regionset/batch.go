package regionset

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// Layout is where a host's batch items (struct zc_batch_item of
// zc_kernel.h, as the foreign side compiles it) keep their fields: the
// item's size, the width of a buffer address (8 natively, 4 in wasm32),
// and the byte offsets of the frame's fields and of the return value.
type Layout struct {
	Size, Addr, Len, F, I, Ctx, Result, Ret uintptr
}

// A BatchRunner runs the first n items of its batch's descriptor buffer
// in one crossing. An error is a failure of the whole batch (a trap):
// the host reports it wrapping ErrBroken.
type BatchRunner interface {
	RunBatch(n int) error
}

// Queue is the batch of one handle: a descriptor buffer of a fixed number
// of items, in memory the foreign side reads, that stays put for the
// life of the handle. Add checks a call against the regions and writes its
// item; Run runs every queued item in one crossing; Result reads an
// item's outcome. A Queue allocates nothing after Init.
type Queue struct {
	set   *Set
	lay   Layout
	items unsafe.Pointer // the descriptor buffer
	base  [kernel.MaxBuffers]uint64
	size  [kernel.MaxBuffers]uint64
	max   int     // items the buffer holds
	n     int     // items queued
	ran   int     // items of the last Run, whose results Result reads
	fail  error   // the failure of the whole last Run
	count []int64 // a Count kernel's counted length, per item

	// Stream's scratch, here so that the callbacks' arguments do not
	// escape per call.
	args kernel.Args
	off  [kernel.MaxBuffers]int
	slot []int // the item of each queued slot, for Stream
}

// Init sets q up over the handle's regions set, whose addresses as the
// foreign side sees them are base (pointers natively, offsets in wasm32),
// and the descriptor buffer items of max items laid out as lay. ctx is
// the frames' constant, written into every item once.
func (q *Queue) Init(set *Set, lay Layout, items unsafe.Pointer, max int, base [kernel.MaxBuffers]uint64, ctx uint64) {
	*q = Queue{set: set, lay: lay, items: items, max: max, base: base}
	for i := range set.N {
		q.size[i] = uint64(set.K.Buffers[i].Type.Size())
	}
	if set.K.Result == kernel.Count {
		q.count = make([]int64, max)
	}
	q.slot = make([]int, max)
	for j := range max {
		put(q.at(j, lay.Ctx), lay.Addr, ctx)
	}
}

// at returns the address of byte off of item j.
func (q *Queue) at(j int, off uintptr) unsafe.Pointer {
	return unsafe.Add(q.items, uintptr(j)*q.lay.Size+off)
}

// put stores v at p in w bytes, as the foreign side reads an address.
func put(p unsafe.Pointer, w uintptr, v uint64) {
	if w == 4 {
		*(*uint32)(p) = uint32(v)
	} else {
		*(*uint64)(p) = v
	}
}

// Cap returns the number of items a batch holds.
func (q *Queue) Cap() int { return q.max }

// Len returns the number of items queued.
func (q *Queue) Len() int { return q.n }

// Reset drops the queued items.
func (q *Queue) Reset() { q.n = 0 }

// errFull is the failure of Add on a full batch.
var errFull = fmt.Errorf("%w: the batch is full; Run it first", errs.Capacity)

// Add queues a call of the kernel on a.Len[i] elements of region i from
// element off[i] on (missing offsets are 0), with a's scalars, and
// returns its index in the batch. It fails, queueing nothing, with
// ErrCapacity on a full batch or a range past its region, with
// ErrArgument on a negative length or offset, and with the kernel's
// Check's error.
func (q *Queue) Add(a *kernel.Args, off []int) (int, error) {
	s := q.set
	if err := s.Err(); err != nil {
		return -1, err
	}
	if q.n == q.max {
		return -1, errFull
	}
	if len(off) > s.N {
		return -1, fmt.Errorf("%w: kernel %s has %d buffers, and %d offsets were given", errs.Argument, s.K.Name, s.N, len(off))
	}
	var o [kernel.MaxBuffers]int
	copy(o[:], off)
	for i := range s.N {
		n := a.Len[i]
		if n < 0 || o[i] < 0 {
			return -1, errs.Argument
		}
		if n > s.Caps[i] || o[i] > s.Caps[i]-n {
			return -1, errs.Capacity
		}
	}
	if err := s.K.CheckArgs(a); err != nil {
		return -1, err
	}
	j, l := q.n, &q.lay
	for i := range s.N {
		put(q.at(j, uintptr(i)*l.Addr), l.Addr, q.base[i]+uint64(o[i])*q.size[i])
		*(*int64)(q.at(j, l.Len+uintptr(i)*8)) = int64(a.Len[i])
	}
	for i := range len(s.K.Floats) {
		*(*float64)(q.at(j, l.F+uintptr(i)*8)) = a.F[i]
	}
	for i := range len(s.K.Ints) {
		*(*int64)(q.at(j, l.I+uintptr(i)*8)) = a.I[i]
	}
	if q.count != nil {
		q.count[j] = int64(a.Len[s.K.CountOf])
	}
	q.n++
	return j, nil
}

// Run runs the queued items through r in one crossing and empties the
// queue; Result then reads their outcomes. It returns the number of items
// run. A failure of the whole batch (a trap) breaks the handle and is
// every item's error; so is a kernel that reports a count past its
// buffer, an error naming the item.
func (q *Queue) Run(r BatchRunner) (int, error) {
	s := q.set
	if err := s.Err(); err != nil {
		return 0, err
	}
	n := q.n
	q.n, q.ran, q.fail = 0, n, nil
	if n == 0 {
		return 0, nil
	}
	if err := r.RunBatch(n); err != nil {
		q.fail = err
		if errors.Is(err, errs.Broken) {
			s.Broken = err
		}
		return n, err
	}
	for j := range q.count[:min(n, len(q.count))] {
		if ret := q.ret(j); ret > q.count[j] {
			q.fail = fmt.Errorf("%w: kernel %s reported %d elements written to %s in batch item %d, which has %d",
				errs.Broken, s.K.Name, ret, s.K.Buffers[s.K.CountOf].Name, j, q.count[j])
			s.Broken = q.fail
			return n, q.fail
		}
	}
	return n, nil
}

// ret returns item j's return value.
func (q *Queue) ret(j int) int64 { return *(*int64)(q.at(j, q.lay.Ret)) }

// Result returns the outcome of item j of the last Run: what the kernel
// returned, or its error (a negative return, or the failure of the whole
// batch). Items do not depend on each other: one that failed leaves the
// others' results as they are.
func (q *Queue) Result(j int) (kernel.Return, error) {
	if q.set.Closed {
		return kernel.Return{}, errs.Closed
	}
	if j < 0 || j >= q.ran {
		return kernel.Return{}, fmt.Errorf("%w: batch item %d was not in the last run, of %d", errs.Argument, j, q.ran)
	}
	if q.fail != nil {
		return kernel.Return{}, q.fail
	}
	ret := q.ret(j)
	if ret < 0 {
		return kernel.Return{}, kernel.Status(q.set.K, ret)
	}
	res := *(*float64)(q.at(j, q.lay.Result))
	return kernel.Return{N: ret, F: res}, nil
}

// Stream runs n calls, any number, through a batch of Cap items: put
// fills in call i's lengths, scalars and region offsets (the Args and
// offsets come zeroed), and got receives its outcome. Calls are queued
// until the batch is full, then run in one crossing, and so on. Each call
// reaches got once: one that Add refuses at once, with its error, the
// others in order after their batch ran. put's writes into the regions for
// one batch must not overlap each other; the regions may be reused from
// one batch to the next, since got has seen the previous batch's results
// by then (call i is item i mod Cap of its batch, if Add refuses none). An
// error from put or got stops the stream and is returned, as is a failure
// that breaks the handle.
func (q *Queue) Stream(r BatchRunner, n int, put func(i int, a *kernel.Args, off []int) error,
	got func(i int, ret kernel.Return, err error) error) error {
	q.n = 0
	for i := 0; i < n; {
		for ; i < n && q.n < q.max; i++ {
			q.args, q.off = kernel.Args{}, [kernel.MaxBuffers]int{}
			if err := put(i, &q.args, q.off[:q.set.N]); err != nil {
				q.n = 0
				return err
			}
			j, err := q.Add(&q.args, q.off[:q.set.N])
			if err != nil {
				if q.set.Err() != nil {
					q.n = 0
					return err
				}
				if err := got(i, kernel.Return{}, err); err != nil {
					q.n = 0
					return err
				}
				continue
			}
			q.slot[j] = i
		}
		m, err := q.Run(r)
		for j := range m {
			ret, rerr := q.Result(j)
			if gerr := got(q.slot[j], ret, rerr); gerr != nil {
				return gerr
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
