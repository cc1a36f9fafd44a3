package kernel

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// The batch descriptor of zc_kernel.h: 64-bit words, a header of
// batchHeader words (the kernel's numbers of buffers, float scalars and
// integer scalars, and one reserved), then one item per call: each
// buffer's address, each buffer's length, the float scalars, the integer
// scalars, the return value and the float result.
const batchHeader = 4

// Batch is a Handle that also runs many calls of its kernel in one
// crossing. Each call queued by Add is an item of a descriptor, in memory
// the foreign side reads beside the regions, with scalars and slices of
// the regions of its own; Run hands the whole descriptor to
// one loop on the foreign side (zc_run_batch of zc_kernel.h natively, the
// kernel's batch export in a wasm module). A call of a small kernel costs
// a few nanoseconds this way, against a crossing of tens per call. The
// Handle's methods (Call, Region) and views of its regions work on the
// same regions; like a Handle, a Batch has no lock, and allocates nothing
// after it is made.
// The Batch method of a native.Func or wasm.Func (on any runtime) makes one.
//
// A failure of the whole batch (a trap in any item) breaks the handle and
// is every item's error. A Batch no host made (the zero Batch) is closed;
// a nil *Batch, which a failed constructor returns, is not a Batch at
// all (the Handle's methods it promotes, Close included, need one), so
// check the constructor's error before deferring Close.
type Batch struct {
	*Handle
	desc   unsafe.Pointer // the descriptor: header, then items
	words  int            // per item
	nf     int            // float scalars
	base   [maxBuffers]uint64
	size   [maxBuffers]uint64
	shift  [maxBuffers]uint8 // log2 of size
	max    int               // items the descriptor holds
	queued int               // items queued
	ran    int               // items of the last Run, whose results Result reads
	rerun  bool              // the items of the last Run are as it ran them
	fail   error             // the failure of the whole last Run
	count  []int64           // a Count kernel's counted length, per item queued
	counts []int64           // and per item of the last Run, which Result reads

	// Stream's scratch, here so that the callbacks' arguments do not
	// escape per call.
	args Args
	bufs [maxBuffers]Slice
	slot []int // the call of each queued item, for Stream
}

// newBatch makes a batch over h's regions, whose addresses as the foreign
// side sees them are base (pointers natively, offsets in wasm32), with
// the descriptor desc of max items, 8-byte aligned, whose header it
// writes.
func newBatch(h *Handle, desc unsafe.Pointer, max int, base []uint64) *Batch {
	k := h.k
	b := &Batch{Handle: h, desc: desc, words: 2*len(k.Buffers) + len(k.Floats) + len(k.Ints) + 2, nf: len(k.Floats), max: max}
	copy(b.base[:], base)
	for i := range h.n {
		b.size[i] = uint64(k.Buffers[i].Type.Size())
		b.shift[i] = uint8(bits.TrailingZeros64(b.size[i]))
	}
	if k.Result == Count {
		b.count, b.counts = make([]int64, max), make([]int64, max)
	}
	b.slot = make([]int, max)
	w := unsafe.Slice((*int64)(desc), batchHeader)
	w[0], w[1], w[2], w[3] = int64(h.n), int64(len(k.Floats)), int64(len(k.Ints)), 0
	return b
}

// item returns item j's words.
func (b *Batch) item(j int) []int64 {
	return unsafe.Slice((*int64)(unsafe.Add(b.desc, 8*(batchHeader+j*b.words))), b.words)
}

// Len returns the number of calls queued.
func (b *Batch) Len() int { return b.queued }

// Reset drops the queued calls.
func (b *Batch) Reset() { b.queued = 0 }

// written marks the items as no longer those of the last Run, before an
// Add or AddSeries writes one of them, even for a call it then refuses:
// Rerun runs only what Run ran.
func (b *Batch) written() { b.rerun = false }

// fullErr is the failure of Add on a full batch.
func (b *Batch) fullErr() error {
	return fmt.Errorf("%w: kernel %s: the batch is full; Run it first", errs.Capacity, b.k.Name)
}

// Add queues a call on bufs, one slice per buffer, each inside its own
// region (a view of it at any offset, such as x[8:16] of
// kernel.Elems[float32](h.Region(0))), with a's scalars, and returns its index in
// the batch. The lengths and offsets are the slices' (a.Len is not read).
// The checks of Call apply; a slice that does not start inside its region
// fails with zerocall.ErrArgument, one that starts inside and runs past
// its end with zerocall.ErrCapacity, as does a full batch. A refused call
// queues nothing.
func (b *Batch) Add(a *Args, bufs ...Slice) (int, error) {
	h := b.Handle
	if h == nil || !h.open || h.broken != nil || b.queued == b.max || len(bufs) != h.n {
		return -1, b.addErr(len(bufs))
	}
	j, nb := b.queued, h.n
	if a == nil {
		a = &noScalars
	}
	// The item is written as it is checked: a refused call leaves it
	// unqueued, and the next Add writes it whole.
	b.written()
	it := b.item(j)
	for i := range nb {
		o, err := b.offset(i, bufs[i])
		if err != nil {
			return -1, err
		}
		it[i] = int64(b.base[i] + uint64(o)*b.size[i])
		it[nb+i] = int64(bufs[i].n)
	}
	if h.k.Check != nil {
		if err := b.check(a, bufs); err != nil {
			return -1, err
		}
	}
	for i := range b.nf {
		it[2*nb+i] = int64(math.Float64bits(a.F[i]))
	}
	for i := range len(h.k.Ints) {
		it[2*nb+b.nf+i] = a.I[i]
	}
	if b.count != nil {
		b.count[j] = int64(bufs[h.k.CountOf].n)
	}
	b.queued = j + 1
	return j, nil
}

// offset returns where s, the slice of a batch call for buffer i, starts
// in region i, in elements: ErrType for the wrong type, ErrArgument for a
// slice that does not start inside the region (at the region's end is
// past it: a slice there lies in whatever follows), ErrCapacity for one
// that starts inside and runs past its end. An empty slice is at 0,
// wherever it points.
func (b *Batch) offset(i int, s Slice) (int, error) {
	h := b.Handle
	if s.t != h.k.Buffers[i].Type {
		return 0, h.k.typeError(i, s.t)
	}
	if s.n == 0 {
		return 0, nil
	}
	// Element sizes are powers of two: a shift, not a division.
	d := uintptr(s.p) - uintptr(h.views[i])
	if uintptr(s.p) < uintptr(h.views[i]) || d&(uintptr(b.size[i])-1) != 0 || d>>b.shift[i] >= uintptr(h.caps[i]) {
		return 0, h.outErr(i)
	}
	o := int(d >> b.shift[i])
	if s.n > h.caps[i]-o {
		return 0, h.lenErr(i, s.n, o)
	}
	return o, nil
}

// outErr is the error of a batch call whose slice for buffer i is not
// inside region i.
//
//go:noinline
func (h *Handle) outErr(i int) error {
	b := h.k.Buffers[i].Name
	return fmt.Errorf("%w: kernel %s: the slice for buffer %s is not inside region %s; a batch's calls run on views of its regions",
		errs.Argument, h.k.Name, b, b)
}

// check runs the kernel's Check on a's scalars and the lengths of bufs.
// Kept out of Add, the Args it builds keep Add's frame small.
//
//go:noinline
func (b *Batch) check(a *Args, bufs []Slice) error {
	c := Args{F: a.F, I: a.I}
	for i, s := range bufs {
		c.Len[i] = s.n
	}
	if err := b.k.checkArgs(&c, bufs); err != nil {
		return err
	}
	// A Check that closed the batch has freed what Add would write into.
	return b.Err()
}

// AddSeries queues count calls with a's scalars: the first on bufs (one
// slice per buffer inside its own region, as for Add), call k on the same
// lengths k·step[i] elements further into region i (steps left out are
// 0). It returns the index of the first: many calls over data laid out at
// a stride, checked once. The checks of Add apply to the whole series:
// all of it fits in the batch and in the regions, or nothing is queued.
// A series of no calls is checked as a call on bufs, queues nothing and
// returns Len().
func (b *Batch) AddSeries(count int, a *Args, step []int, bufs ...Slice) (int, error) {
	h := b.Handle
	if h == nil {
		return -1, errs.Closed
	}
	j, nb := b.queued, h.n
	if !h.open || h.broken != nil || len(bufs) != nb {
		return -1, b.addErr(len(bufs))
	}
	if count < 0 {
		return -1, fmt.Errorf("%w: kernel %s: a series of %d calls", errs.Argument, h.k.Name, count)
	}
	if len(step) > nb {
		return -1, fmt.Errorf("%w: kernel %s has %d buffers, and AddSeries was given %d steps", ErrKernel, h.k.Name, nb, len(step))
	}
	if a == nil {
		a = &noScalars
	}
	if count > b.max-j {
		if j == b.max {
			return -1, b.fullErr()
		}
		return -1, fmt.Errorf("%w: kernel %s: a series of %d calls, and the batch has room for %d", errs.Capacity, h.k.Name, count, b.max-j)
	}
	var first, last [maxBuffers]int
	calls := max(count, 1) // a series of none is checked as one call
	for i := range nb {
		o, err := b.offset(i, bufs[i])
		if err != nil {
			return -1, err
		}
		st := 0
		if i < len(step) {
			st = step[i]
		}
		n := bufs[i].n
		end := o + (calls-1)*st // the last call's offset
		if calls > 1 && st != 0 && ((end-o)/(calls-1) != st || st > 0 && end < o) {
			return -1, fmt.Errorf("%w: kernel %s: %d calls at a step of %d from %d in region %s overflow an int",
				errs.Capacity, h.k.Name, count, st, o, h.k.Buffers[i].Name)
		}
		if uint(n) > uint(h.caps[i]) || uint(end) > uint(h.caps[i]-n) {
			return -1, h.lenErr(i, n, end)
		}
		first[i], last[i] = o, st
	}
	if h.k.Check != nil {
		if err := b.check(a, bufs); err != nil {
			return -1, err
		}
	}
	if count == 0 {
		return j, nil
	}
	// The calls' words, in one slice: the lengths and scalars are the
	// same for each, the addresses step.
	b.written()
	w := b.words
	all := unsafe.Slice((*int64)(unsafe.Add(b.desc, 8*(batchHeader+j*w))), count*w)
	var addr, stride [maxBuffers]int64
	for i := range nb {
		addr[i] = int64(b.base[i] + uint64(first[i])*b.size[i])
		stride[i] = int64(uint64(last[i]) * b.size[i])
	}
	tail := all[nb:w] // the first call's lengths, scalars and outputs
	for i := range nb {
		tail[i] = int64(bufs[i].n)
	}
	for i := range b.nf {
		tail[nb+i] = int64(math.Float64bits(a.F[i]))
	}
	for i := range len(h.k.Ints) {
		tail[nb+b.nf+i] = a.I[i]
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
	if b.count != nil {
		for k := range count {
			b.count[j+k] = int64(bufs[h.k.CountOf].n)
		}
	}
	b.queued = j + count
	return j, nil
}

// addErr is Add's error for a closed or broken handle, a full batch, or
// n slices for a kernel of another number of buffers. Kept out
// of Add, it keeps Add's frame small.
//
//go:noinline
func (b *Batch) addErr(n int) error {
	switch {
	case b.Err() != nil:
		return b.Err()
	case b.queued == b.max:
		return b.fullErr()
	}
	return b.k.countError(n)
}

// Run runs the queued calls, in order, in one crossing, empties the
// queue, and returns how many it took from it; Result reads their
// outcomes until the next Run. A failure of the whole batch (a trap, the
// time limit) breaks the handle and is every item's error, whether it
// ran or not; so is a kernel that reports a count past its buffer, an
// error naming the item. Each call's own status is Result's
// to report: Run returns no error for a call that failed, and a status
// that is none of the ABI's breaks the handle when Result reads it.
func (b *Batch) Run() (int, error) {
	h := b.Handle
	if err := h.Err(); err != nil {
		return 0, err
	}
	n := b.queued
	b.queued, b.ran, b.fail, b.rerun = 0, n, nil, true
	if n == 0 {
		return 0, nil
	}
	if err := h.host.RunBatch(n); err != nil {
		b.fail = err
		if errors.Is(err, errs.Broken) {
			h.broken = err
		}
		return n, err
	}
	// The counts of the calls that ran are kept apart from the queue's:
	// the next calls, queued in the same items, do not change the limit
	// that Result checks their results by.
	for j, c := range b.count[:min(n, len(b.count))] {
		b.counts[j] = c
		if ret := b.ret(j); ret > c {
			b.fail = b.overcount(j, ret)
			h.broken = b.fail
			return n, b.fail
		}
	}
	return n, nil
}

// overcount is the error of batch item j of a Count kernel that reported
// ret elements written, past its counted buffer, in the last Run.
func (b *Batch) overcount(j int, ret int64) error {
	return fmt.Errorf("%w: kernel %s reported %d elements written to %s in batch item %d, which has %d",
		errs.Broken, b.k.Name, ret, b.k.Buffers[b.k.CountOf].Name, j, b.counts[j])
}

// Rerun runs the calls of the last Run again, as they were queued, on
// what the regions hold now, in one crossing: for a fixed set of calls
// whose inputs change, no Add per call. It fails with
// zerocall.ErrArgument if nothing ran yet or the queue changed since: a
// call added, even one that Add refused once it had begun to write it
// (not one refused before, for its number of slices or a closed handle),
// or calls Reset dropped.
func (b *Batch) Rerun() (int, error) {
	if err := b.Err(); err != nil {
		return 0, err
	}
	if b.queued != 0 || b.ran == 0 || !b.rerun {
		return 0, fmt.Errorf("%w: kernel %s: Rerun needs a Run before it and no call added since", errs.Argument, b.k.Name)
	}
	b.queued = b.ran
	return b.Run()
}

// ret returns item j's return value.
func (b *Batch) ret(j int) int64 { return b.item(j)[b.words-2] }

// Result returns the outcome of call j of the last Run: what the kernel
// returned, or its error (a negative return, or the failure of the whole
// batch), also once calls are queued for the next Run. Calls do not
// depend on each other: one that failed leaves the others' results as
// they are. A return that is no status of the ABI
// breaks the handle, as it does in Call.
func (b *Batch) Result(j int) (Return, error) {
	if uint(j) >= uint(b.ran) || b.fail != nil || !b.open {
		return Return{}, b.resultErr(j)
	}
	w := (*[2]int64)(unsafe.Add(b.desc, 8*(batchHeader+(j+1)*b.words-2)))
	if w[0] < 0 {
		err := status(b.k, w[0])
		b.failed(err)
		return Return{}, err
	}
	// Run checked the count, but the descriptor is the foreign side's
	// memory (a wasm module's), which a call since may have written.
	if b.counts != nil && w[0] > b.counts[j] {
		err := b.overcount(j, w[0])
		b.failed(err)
		return Return{}, err
	}
	return Return{N: w[0], F: math.Float64frombits(uint64(w[1]))}, nil
}

// resultErr is Result's error for an item it cannot read.
func (b *Batch) resultErr(j int) error {
	switch {
	case b.Handle == nil || !b.open:
		return b.Handle.Err()
	case uint(j) >= uint(b.ran):
		return fmt.Errorf("%w: kernel %s: batch item %d was not in the last run, of %d", errs.Argument, b.k.Name, j, b.ran)
	}
	return b.fail
}

// Stream makes n calls, any number, through the batch, as many per
// crossing as it holds. put fills in call i's scalars and its slices, one
// per buffer inside its region, as for Add (they come zeroed), and writes
// its inputs into the regions; got receives its outcome. Calls are queued
// until the batch is full, run in one crossing, and handed to got in
// order; a call that Add refuses reaches got at once, with its error.
// Call i is item i mod items of its batch (the number it was made with)
// when none is refused, so put may place its data by that, and reuse the
// regions from one batch to the next, since got has seen the previous
// batch's results by then. An error from put or got stops the stream and
// is returned, as is one that breaks the handle; put is not called on a
// closed or broken handle. A stream stopped so, or by a panic in put, got
// or the kernel's Check, leaves none of its calls queued. Calls queued before Stream fail it with
// zerocall.ErrArgument, rather than run unseen or be dropped, as do a
// negative n and a nil put or got.
func (b *Batch) Stream(n int, put func(i int, a *Args, bufs []Slice) error,
	got func(i int, ret Return, err error) error) error {
	if err := b.Err(); err != nil {
		return err
	}
	switch {
	case n < 0:
		return fmt.Errorf("%w: kernel %s: Stream of %d calls", errs.Argument, b.k.Name, n)
	case n > 0 && (put == nil || got == nil):
		return fmt.Errorf("%w: kernel %s: Stream with a nil put or got", errs.Argument, b.k.Name)
	}
	nb := b.Handle.n
	if b.queued != 0 {
		return fmt.Errorf("%w: kernel %s: Stream on a batch with %d calls queued; Run or Reset them first", errs.Argument, b.k.Name, b.queued)
	}
	// However the stream ends (an error of put or got, one that broke the
	// handle, a panic in put, got or the kernel's Check), none of its
	// calls is left queued, to run unseen in a later Run.
	defer b.Reset()
	for i := 0; i < n; {
		// put writes into the regions: not after a Close, nor once a call
		// broke the handle (got may close it).
		if err := b.Err(); err != nil {
			return err
		}
		for ; i < n && b.queued < b.max; i++ {
			b.args, b.bufs = Args{}, [maxBuffers]Slice{}
			if err := put(i, &b.args, b.bufs[:nb]); err != nil {
				return err
			}
			j, err := b.Add(&b.args, b.bufs[:nb]...)
			if err != nil {
				if b.Err() != nil {
					return err
				}
				if err := got(i, Return{}, err); err != nil {
					return err
				}
				// got may have closed the handle: put must not run on it.
				if err := b.Err(); err != nil {
					return err
				}
				continue
			}
			b.slot[j] = i
		}
		m, err := b.Run()
		for j := range m {
			ret, rerr := b.Result(j)
			if gerr := got(b.slot[j], ret, rerr); gerr != nil {
				return gerr
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
