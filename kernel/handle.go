package kernel

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/escape"
	"github.com/zerocall/zerocall/internal/hostapi"
)

// Handle is a kernel's function bound to regions of its own, one per
// buffer of the kernel, each 64-byte aligned with the capacity it was
// given. Every host makes the same Handle, with the Handle method of its
// Func: a native.Func's in zerocall.Pinned Go memory or zerocall.COwned C
// memory, a wasm.Func's (on any runtime) in the module's memory
// (zerocall.Module); only how a call crosses and who owns the memory
// differ.
//
// The regions' addresses are fixed when the handle is made; a call
// writes only the lengths and scalars and crosses. Call takes one slice
// per buffer: views of the regions (Elems of a Region, cut from its
// start) run in place, with nothing copied; any other slices are copied
// in and out.
//
// A Handle has no lock: it belongs to one goroutine at a time, and is the
// fastest way to call a kernel with stable buffers. Share one between
// goroutines through a zerocall.Pool, or behind a mutex of your own.
//
// If a Handle is dropped without Close, a backstop releases what can be
// released safely: it unpins Go memory and closes a wazero instance,
// whose memory is a Go slice that views keep alive, and leaks C-owned
// memory and Wasmtime's instances rather than free memory a view may
// still reach; zerocall.Leaked counts it.
type Handle struct {
	k      *Kernel
	n      int // buffers
	caps   [maxBuffers]int
	views  [maxBuffers]unsafe.Pointer
	types  [maxBuffers]Type
	floats bool  // the kernel has float scalars
	ints   bool  // the kernel has integer scalars
	open   bool  // made by a host, and not closed: the zero Handle is closed
	broken error // wraps ErrBroken once a call broke the handle
	args   *Args // the arguments of the call in progress: own, or the host's frame
	own    Args
	host   host
	// passed holds the lengths and scalars of the last call in place
	// that passed every check (the slices' types and capacities, the
	// kernel's Check), if ok: a call on the views with the same ones
	// passes them again (Check's verdict depends on its Args alone), and
	// its count may be at most limit, passed's counted length (or any
	// count, for a kernel that counts nothing).
	passed Args
	ok     bool
	limit  int64
	closed error // Err after Close, which names the kernel
}

// host is what a host supplies for a handle: one call in place on the
// first a.Len[i] elements of each region (the lengths already checked; a
// points into the Handle, so that the caller's Args need not escape
// through the interface call), one crossing for the first n items of a
// batch, and the release of its memory.
//
// A host whose frame holds a call's lengths and scalars laid out as Args
// is may also have a method Frame() *Args that returns them, in memory
// that stays put and that only the host's calls read: the Handle then
// writes each call's arguments there, and Run, handed that very Args,
// has nothing to copy.
type host interface {
	Run(a *Args) (Return, error)
	RunBatch(n int) error
	Close() error
}

func init() {
	hostapi.NewHandle = func(k any, caps []int, views []unsafe.Pointer, h any) any {
		return newHandle(k.(*Kernel), caps, views, h.(host))
	}
	hostapi.NewBatch = func(k any, caps []int, views []unsafe.Pointer, h any, desc unsafe.Pointer, items int, base []uint64) any {
		return newBatch(newHandle(k.(*Kernel), caps, views, h.(host)), desc, items, base)
	}
	hostapi.Runner = func(h any) any { return h.(*Handle).host }
	hostapi.Validate = (*Kernel).validate
}

func newHandle(k *Kernel, caps []int, views []unsafe.Pointer, h host) *Handle {
	hd := &Handle{k: k, n: len(k.Buffers), host: h, open: true, floats: len(k.Floats) > 0, ints: len(k.Ints) > 0}
	hd.args = &hd.own
	if f, ok := h.(interface{ Frame() *Args }); ok {
		if fa := f.Frame(); fa != nil {
			hd.args = fa
		}
	}
	copy(hd.caps[:], caps)
	copy(hd.views[:], views)
	for i, b := range k.Buffers {
		hd.types[i] = b.Type
	}
	return hd
}

// Err returns nil while the handle can run its kernel, an error wrapping
// zerocall.ErrClosed after Close, and the failure that broke it (wrapping
// zerocall.ErrBroken) after one. A Handle no host made (the zero Handle,
// or a nil one, as in a zero Batch) is closed.
func (h *Handle) Err() error {
	switch {
	case h == nil || !h.open && h.closed == nil:
		return errs.Closed
	case !h.open:
		return h.closed
	}
	return h.broken
}

// Close releases the regions. Views taken before must no longer be used.
// Closing twice is harmless.
func (h *Handle) Close() error {
	if h == nil || !h.open {
		return nil
	}
	h.open = false
	h.closed = fmt.Errorf("%w: kernel %s: its handle was closed", errs.Closed, h.k.Name)
	return h.host.Close()
}

// Region returns region i as a Slice of its capacity, whatever its type;
// Elems turns it into the []T it is (kernel.Elems[float32](h.Region(0))),
// a view of the region that runs in place when passed to Call cut from its
// start. It returns an empty Slice for an i with no region, or after
// Close.
func (h *Handle) Region(i int) Slice {
	if h == nil || !h.open || i < 0 || i >= h.n {
		return Slice{}
	}
	return Slice{p: h.views[i], n: h.caps[i], t: h.k.Buffers[i].Type}
}

// Call runs the kernel on bufs, one slice per buffer in declared order,
// with the scalars of a; the lengths are the slices' (a.Len is not
// read). A slice that starts at the start of its own region (a view of
// it, cut to the call's length) is used where it is: the call is in
// place, and nothing is copied. Any other slice is copied into its region,
// and back out if the kernel writes it, so that what the kernel leaves
// alone comes back unchanged, as on a one-shot call; the counted buffer
// of a Count kernel, if Out, is not copied in, and is copied out up to
// the count.
//
// A slice longer than its region fails with zerocall.ErrCapacity; one of
// the wrong type with zerocall.ErrType; a slice that overlaps one of the
// handle's regions but is not the start of its own with
// zerocall.ErrOverlap, since copying it in would overwrite the region;
// slices that break the kernel's own overlap rules with ErrOverlap too.
// The kernel's Check and its own negative returns (the ABI's statuses,
// -1 to -4) give their errors, and the handle stays usable; any other
// negative return breaks it with zerocall.ErrBroken. A kernel that breaks its contract (a count
// past its buffer, a trap) breaks the handle with zerocall.ErrBroken.
func (h *Handle) Call(a *Args, bufs ...Slice) (Return, error) {
	if h == nil || !h.open || h.broken != nil {
		return Return{}, h.Err()
	}
	if len(bufs) != h.n {
		return Return{}, h.k.countError(len(bufs))
	}
	// The scalars come from a, the lengths from bufs; a length is stored
	// only when it changed, as it does not in a loop over one size.
	if a == nil {
		a = &noScalars
	}
	args := h.args
	// Only the kinds of scalars the kernel has: it reads no others, and a
	// sum's call in place then writes its frame's lengths alone. Floats
	// are compared with the last passed by their bits: -0 is not 0 to
	// every Check, and a NaN is then the same as itself. (Copying the
	// declared floats alone, one for the test kernel, made its calls
	// through cgo 3 ns slower, though fewer instructions.)
	same := h.ok
	if h.floats {
		args.F = a.F
		if *(*[MaxScalars]uint64)(unsafe.Pointer(&a.F)) != *(*[MaxScalars]uint64)(unsafe.Pointer(&h.passed.F)) {
			same = false
		}
	}
	if h.ints {
		args.I = a.I
		if a.I != h.passed.I {
			same = false
		}
	}
	// A call in place on the views, lengths and scalars of the last one
	// that passed every check (types, capacities, the kernel's Check)
	// passes them again, as a loop over one size makes it: only the
	// frame's lengths are compared, which the kernel may have written.
	// Up to three buffers, as most kernels have, are compared written
	// out: a loop's index arithmetic cost as much as the comparisons.
	if same {
		lens := &args.Len
		switch len(bufs) {
		case 3:
			same = h.again(lens, &bufs[2], 2) && h.again(lens, &bufs[1], 1) && h.again(lens, &bufs[0], 0)
		case 2:
			same = h.again(lens, &bufs[1], 1) && h.again(lens, &bufs[0], 0)
		case 1:
			same = h.again(lens, &bufs[0], 0)
		default:
			for i := range bufs {
				if !h.again(lens, &bufs[i], i&(maxBuffers-1)) {
					same = false
					break
				}
			}
		}
	}
	if !same {
		copied := false
		for i := range bufs {
			b, j := &bufs[i], i&(maxBuffers-1)
			if b.t != h.types[j] {
				return Return{}, h.k.typeError(i, b.t)
			}
			if uint(b.n) > uint(h.caps[j]) {
				return Return{}, h.lenErr(i, b.n, 0)
			}
			if args.Len[j] != b.n {
				args.Len[j] = b.n
			}
			if b.p != h.views[j] && b.n > 0 {
				copied = true
			}
		}
		if copied {
			return h.copyCall(bufs)
		}
		if c := h.k.Check; c != nil {
			if err := c((*Args)(escape.Pointer(unsafe.Pointer(args)))); err != nil {
				return Return{}, h.k.checkErr(err, args)
			}
			if !h.open || h.broken != nil { // Check closed it: the regions may be freed
				return Return{}, h.Err()
			}
			var changed int
			for i := range bufs {
				changed |= args.Len[i&(maxBuffers-1)] ^ bufs[i].n
			}
			if changed != 0 {
				return Return{}, h.k.changedErr(args, bufs)
			}
		}
		h.passed, h.ok = *args, true
		h.limit = math.MaxInt64
		if h.k.Result == Count {
			h.limit = int64(args.Len[h.k.CountOf&(maxBuffers-1)])
		}
	}
	// run's body, which is too large to be inlined; the count's limit is
	// the counted slice's length, which passed holds.
	ret, err := h.host.Run(args)
	if err != nil || ret.N > h.limit {
		return h.after(ret, err, bufs)
	}
	return ret, nil
}

// again reports whether b, the slice of buffer j, is the view of the
// last call that passed, with its length, and if so writes that length
// into lens, the frame's, if the kernel changed it there.
func (h *Handle) again(lens *[maxBuffers]int, b *Slice, j int) bool {
	if b.p != h.views[j] || b.t != h.types[j] || b.n != h.passed.Len[j] {
		return false
	}
	if lens[j] != b.n {
		lens[j] = b.n
	}
	return true
}

// run calls the host on h.args, the lengths of bufs and the call's
// scalars, and keeps an error that breaks the handle: the common case, a
// call that succeeded with a count within its slice, returns at once.
func (h *Handle) run(bufs []Slice) (Return, error) {
	ret, err := h.host.Run(h.args)
	if err != nil || h.k.Result == Count && ret.N > int64(bufs[h.k.CountOf&(maxBuffers-1)].n) {
		return h.after(ret, err, bufs)
	}
	return ret, nil
}

// after ends a call whose host failed, or whose count is past its slice:
// it keeps an error that breaks the handle.
//
//go:noinline
func (h *Handle) after(ret Return, err error, bufs []Slice) (Return, error) {
	if err == nil {
		ret, err = h.counted(ret, bufs)
	}
	if err != nil {
		h.failed(err)
	}
	return ret, err
}

// counted checks the count ret of a call on bufs against the length of
// the counted slice. The host checked it against its frame's length,
// which a kernel that writes its frame (as it must not) could have
// raised.
func (h *Handle) counted(ret Return, bufs []Slice) (Return, error) {
	if c := h.k.CountOf & (maxBuffers - 1); ret.N > int64(bufs[c].n) {
		h.args.Len[c] = bufs[c].n
		return h.k.Returned(ret.N, ret.F, h.args)
	}
	return ret, nil
}

// failed keeps err if it broke the handle.
//
//go:noinline
func (h *Handle) failed(err error) {
	if errors.Is(err, errs.Broken) {
		h.broken = err
	}
}

// copyCall is Call with slices to copy in and out: those that are not the
// start of their own region. h.args holds the call's lengths and scalars.
func (h *Handle) copyCall(bufs []Slice) (Return, error) {
	if err := h.k.CheckSlices(h.args, bufs); err != nil {
		return Return{}, err
	}
	if !h.open || h.broken != nil { // the kernel's Check closed it
		return Return{}, h.Err()
	}
	bs := h.k.Buffers
	// The regions' byte ranges, once: every copied slice is checked
	// against each.
	var lo, hi [maxBuffers]uintptr
	for j := range h.n {
		lo[j] = uintptr(h.views[j])
		hi[j] = lo[j] + uintptr(h.caps[j]*bs[j].Type.Size())
	}
	var copied [maxBuffers]bool
	for i, b := range bufs {
		if b.n == 0 || b.p == h.views[i] {
			continue
		}
		copied[i] = true
		p := uintptr(b.p)
		end := p + uintptr(b.n*bs[i].Type.Size())
		for j := range h.n {
			if p < hi[j] && lo[j] < end {
				return Return{}, h.ownErr(i, j)
			}
		}
	}
	// A buffer the kernel writes is copied in too, but for a Count
	// kernel's counted Out one: its elements that the kernel leaves alone
	// then come back as the caller had them, as on a one-shot call, not
	// as an earlier call left the region.
	for i, b := range bufs {
		if copied[i] && (bs[i].Role.reads() || h.k.Result != Count || i != h.k.CountOf) {
			copy(h.Region(i).bytes(), b.bytes())
		}
	}
	ret, err := h.run(bufs)
	if err != nil {
		return ret, err
	}
	for i, b := range bufs {
		if !copied[i] || !bs[i].Role.writes() {
			continue
		}
		n := b.Len()
		if h.k.Result == Count && i == h.k.CountOf {
			n = int(ret.N)
		}
		copy(b.bytes(), h.Region(i).bytes()[:n*bs[i].Type.Size()])
	}
	return ret, nil
}

// lenErr is the error of a call on n elements of region i from element
// off on, which is out of the region: ErrArgument for a negative length
// or offset, ErrCapacity past the region's end. It names the kernel, the
// buffer, the numbers and the region's capacity. Kept out of the calls,
// which build it only when they fail, it keeps their frames small.
//
//go:noinline
func (h *Handle) lenErr(i, n, off int) error {
	b := h.k.Buffers[i].Name
	switch {
	case n < 0:
		return fmt.Errorf("%w: kernel %s: a length of %d for buffer %s", errs.Argument, h.k.Name, n, b)
	case off < 0:
		return fmt.Errorf("%w: kernel %s: an offset of %d into region %s", errs.Argument, h.k.Name, off, b)
	case off == 0:
		return fmt.Errorf("%w: kernel %s: a length of %d for buffer %s, whose region holds %d",
			errs.Capacity, h.k.Name, n, b, h.caps[i])
	}
	return fmt.Errorf("%w: kernel %s: %d elements from %d of region %s, which holds %d",
		errs.Capacity, h.k.Name, n, off, b, h.caps[i])
}

// ownErr is Call's error for the caller's slice for buffer i, which
// overlaps the handle's own region j but is not the start of region i.
//
//go:noinline
func (h *Handle) ownErr(i, j int) error {
	return fmt.Errorf("%w: kernel %s: the slice for buffer %s overlaps the handle's region %s; to call in place, pass a view of region %s from its start",
		errs.Overlap, h.k.Name, h.k.Buffers[i].Name, h.k.Buffers[j].Name, h.k.Buffers[i].Name)
}
