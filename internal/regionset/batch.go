package regionset

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// The batch descriptor of zc_kernel.h: 64-bit words, a header of
// BatchHeader words (the kernel's numbers of buffers, float scalars and
// integer scalars, and one reserved), then items of ItemWords words:
// each buffer's address, each buffer's length, the float scalars, the
// integer scalars, the return value and the float result.
const BatchHeader = 4

// ItemWords returns the words of one item of kernel k's batches.
func ItemWords(k *kernel.Kernel) int { return 2*len(k.Buffers) + len(k.Floats) + len(k.Ints) + 2 }

// MaxItems is the most items a batch may hold: far more than a batch of
// small calls needs, and far from overflowing a descriptor's size.
const MaxItems = 1 << 24

// CheckItems fails with ErrArgument unless a batch of items items can be
// made: 1 <= items <= MaxItems.
func CheckItems(items int) error {
	if items < 1 || items > MaxItems {
		return fmt.Errorf("%w: a batch of %d items; it holds 1 to %d", errs.Argument, items, MaxItems)
	}
	return nil
}

// A BatchRunner runs the first n items of its batch's descriptor buffer
// in one crossing. An error is a failure of the whole batch (a trap):
// the host reports it wrapping ErrBroken.
type BatchRunner interface {
	RunBatch(n int) error
}

// Queue is the batch of one handle: a descriptor of a fixed number of
// items, in memory the foreign side reads, that stays put for the life of
// the handle. Add checks a call against the regions and writes its item;
// Run runs every queued item in one crossing; Result reads an item's
// outcome. A Queue allocates nothing after Init.
type Queue struct {
	set   *Set
	desc  unsafe.Pointer // the descriptor: header, then items
	words int            // per item
	nf    int            // float scalars
	base  [kernel.MaxBuffers]uint64
	size  [kernel.MaxBuffers]uint64
	max   int     // items the descriptor holds
	n     int     // items queued
	ran   int     // items of the last Run, whose results Result reads
	fail  error   // the failure of the whole last Run
	count []int64 // a Count kernel's counted length, per item

	// Stream's scratch, here so that the callbacks' arguments do not
	// escape per call.
	args kernel.Args
	off  [kernel.MaxBuffers]int
	slot []int // the call of each queued item, for Stream
}

// Init sets q up over the handle's regions set, whose addresses as the
// foreign side sees them are base (pointers natively, offsets in wasm32),
// and the descriptor desc of DescriptorBytes(set.K, max) bytes, 8-byte
// aligned, whose header it writes.
func (q *Queue) Init(set *Set, desc unsafe.Pointer, max int, base [kernel.MaxBuffers]uint64) {
	k := set.K
	*q = Queue{set: set, desc: desc, words: ItemWords(k), nf: len(k.Floats), max: max, base: base}
	for i := range set.N {
		q.size[i] = uint64(k.Buffers[i].Type.Size())
	}
	if k.Result == kernel.Count {
		q.count = make([]int64, max)
	}
	q.slot = make([]int, max)
	h := unsafe.Slice((*int64)(desc), BatchHeader)
	h[0], h[1], h[2], h[3] = int64(set.N), int64(len(k.Floats)), int64(len(k.Ints)), 0
}

// item returns item j's words.
func (q *Queue) item(j int) []int64 {
	return unsafe.Slice((*int64)(unsafe.Add(q.desc, 8*(BatchHeader+j*q.words))), q.words)
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
	j, nb := q.n, s.N
	if s.Closed || s.Broken != nil || j == q.max || len(off) > nb {
		return -1, q.addErr(len(off))
	}
	// The item is written as it is checked: a refused call leaves it
	// unqueued.
	it := q.item(j)
	for i := range nb {
		n, o := a.Len[i], 0
		if i < len(off) {
			o = off[i]
		}
		if uint(n) > uint(s.Caps[i]) || uint(o) > uint(s.Caps[i]-n) {
			return -1, s.lenErr(i, n, o)
		}
		it[i] = int64(q.base[i] + uint64(o)*q.size[i])
		it[nb+i] = int64(n)
	}
	if s.K.Check != nil {
		if err := check(s.K, a); err != nil {
			return -1, err
		}
	}
	for i := range q.nf {
		it[2*nb+i] = int64(math.Float64bits(a.F[i]))
	}
	for i := range len(s.K.Ints) {
		it[2*nb+q.nf+i] = a.I[i]
	}
	if q.count != nil {
		q.count[j] = int64(a.Len[s.K.CountOf])
	}
	q.n = j + 1
	return j, nil
}

// AddSeries queues count calls with a's lengths and scalars, call k on
// the elements of region i from off[i] + k·step[i] on (missing offsets
// and steps are 0), and returns the index of the first. It checks the
// series once, as Add checks one call: all of it fits in the batch and
// in the regions, or nothing is queued.
func (q *Queue) AddSeries(count int, a *kernel.Args, off, step []int) (int, error) {
	s := q.set
	j, nb := q.n, s.N
	if count < 0 {
		return -1, fmt.Errorf("%w: kernel %s: a series of %d calls", errs.Argument, s.K.Name, count)
	}
	if s.Closed || s.Broken != nil || len(off) > nb || len(step) > nb {
		return -1, q.addErr(max(len(off), len(step)))
	}
	if count > q.max-j {
		return -1, errFull
	}
	if count == 0 {
		return j, nil
	}
	var first, last [kernel.MaxBuffers]int
	for i := range nb {
		o, st := 0, 0
		if i < len(off) {
			o = off[i]
		}
		if i < len(step) {
			st = step[i]
		}
		n := a.Len[i]
		end := o + (count-1)*st // the last call's offset
		if count > 1 && st != 0 && (end-o)/(count-1) != st {
			return -1, fmt.Errorf("%w: kernel %s: %d calls at a step of %d from %d in region %s overflow an int",
				errs.Capacity, s.K.Name, count, st, o, s.K.Buffers[i].Name)
		}
		for _, at := range []int{o, end} {
			if uint(n) > uint(s.Caps[i]) || uint(at) > uint(s.Caps[i]-n) {
				return -1, s.lenErr(i, n, at)
			}
		}
		first[i], last[i] = o, st
	}
	if s.K.Check != nil {
		if err := check(s.K, a); err != nil {
			return -1, err
		}
	}
	// The calls' words, in one slice: the lengths and scalars are the
	// same for each, the addresses step.
	w := q.words
	all := unsafe.Slice((*int64)(unsafe.Add(q.desc, 8*(BatchHeader+j*w))), count*w)
	var addr, stride [kernel.MaxBuffers]int64
	for i := range nb {
		addr[i] = int64(q.base[i] + uint64(first[i])*q.size[i])
		stride[i] = int64(uint64(last[i]) * q.size[i])
	}
	tail := all[nb:w] // the first call's lengths, scalars and outputs
	for i := range nb {
		tail[i] = int64(a.Len[i])
	}
	for i := range q.nf {
		tail[nb+i] = int64(math.Float64bits(a.F[i]))
	}
	for i := range len(s.K.Ints) {
		tail[nb+q.nf+i] = a.I[i]
	}
	for k := 0; k < count; k++ {
		it := all[k*w : (k+1)*w]
		for i := range nb {
			it[i] = addr[i] + int64(k)*stride[i]
		}
		if k > 0 {
			for x := nb; x < w-2; x++ {
				it[x] = tail[x-nb]
			}
		}
	}
	if q.count != nil {
		for k := range count {
			q.count[j+k] = int64(a.Len[s.K.CountOf])
		}
	}
	q.n = j + count
	return j, nil
}

// addErr is Add's error for a closed or broken handle, a full batch, or
// noff offsets too many. Kept out of Add, it keeps Add's frame small.
//
//go:noinline
func (q *Queue) addErr(noff int) error {
	s := q.set
	switch {
	case s.Err() != nil:
		return s.Err()
	case q.n == q.max:
		return errFull
	}
	return fmt.Errorf("%w: kernel %s has %d buffers, and %d offsets were given", errs.Argument, s.K.Name, s.N, noff)
}

// check runs k's Check. Kept out of Add, the copy of the Args it takes
// keeps Add's frame small.
//
//go:noinline
func check(k *kernel.Kernel, a *kernel.Args) error { return k.CheckArgs(a) }

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

// Rerun runs the items of the last Run again, as they were queued, on
// what the regions hold now: a stable batch of calls whose inputs change
// costs one crossing and no Add per call. It fails with ErrArgument if
// nothing ran yet or calls were queued since.
func (q *Queue) Rerun(r BatchRunner) (int, error) {
	if q.n != 0 || q.ran == 0 {
		if err := q.set.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%w: Rerun needs a Run before it and no call queued since", errs.Argument)
	}
	q.n = q.ran
	return q.Run(r)
}

// ret returns item j's return value.
func (q *Queue) ret(j int) int64 { return q.item(j)[q.words-2] }

// Result returns the outcome of item j of the last Run: what the kernel
// returned, or its error (a negative return, or the failure of the whole
// batch). Items do not depend on each other: one that failed leaves the
// others' results as they are.
func (q *Queue) Result(j int) (kernel.Return, error) {
	if uint(j) >= uint(q.ran) || q.fail != nil || q.set.Closed {
		return kernel.Return{}, q.resultErr(j)
	}
	w := (*[2]int64)(unsafe.Add(q.desc, 8*(BatchHeader+(j+1)*q.words-2)))
	if w[0] < 0 {
		return kernel.Return{}, kernel.Status(q.set.K, w[0])
	}
	return kernel.Return{N: w[0], F: math.Float64frombits(uint64(w[1]))}, nil
}

// resultErr is Result's error for an item it cannot read.
func (q *Queue) resultErr(j int) error {
	switch {
	case q.set.Closed:
		return errs.Closed
	case uint(j) >= uint(q.ran):
		return fmt.Errorf("%w: batch item %d was not in the last run, of %d", errs.Argument, j, q.ran)
	}
	return q.fail
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
