package zerocall

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/hostapi"
	"github.com/zerocall/zerocall/internal/leak"
	"github.com/zerocall/zerocall/internal/link"
	"github.com/zerocall/zerocall/internal/sealed"
	"github.com/zerocall/zerocall/kernel"
)

// runner is how an Instance calls a kernel: the host of its handle,
// called with the lengths and scalars the instance has checked.
type runner interface {
	Run(a *kernel.Args) (kernel.Return, error)
}

// The built-in kernels' handles of an instance, by index, in the order of
// backend.Kernels.
const (
	iSum = iota
	iDot
	iAxpy
	iFIR
	iMatMul
	nKernels
)

// Instance runs the built-in kernels (sum, dot, axpy, fir, matmul) over
// stable buffers, its Regions: pinned Go memory, C-owned memory or a wasm
// module's linear memory, depending on the constructor that made it
// (native.New, wasm.New). It is a typed layer over five
// kernel.Handles of the host, one per kernel, that share the Regions.
//
// Each method takes the caller's slices. Views of the Regions, each from
// the start of the region its operand uses (X[:n] for x, and so on), run
// in place: nothing is copied. Any other slices are copied into the
// regions, streamed through them in blocks when longer than the capacity,
// and the outputs copied back; a slice that overlaps a region otherwise
// fails with ErrOverlap. The methods validate their arguments and return
// one of the package's errors instead of panicking. An Instance no
// constructor made (the zero Instance, or the nil one a failed
// constructor returns beside its error) is closed.
//
// The methods may be called from several goroutines; they take turns on
// the instance's mutex. Filling the regions and calling a kernel in place
// are two steps that the mutex cannot join, so a caller who works in
// place must own the instance meanwhile (one per goroutine, or one from
// a Pool).
type Instance struct {
	sealed.Type
	mu      sync.Mutex
	hs      [nKernels]*kernel.Handle
	run     [nKernels]runner       // each handle's host
	args    [nKernels]*kernel.Args // each kernel's lengths and scalars: its host's frame, or local
	local   [nKernels]kernel.Args
	r       Regions
	n, taps int // the capacities; fixed at construction, so read without mu
	// base holds the addresses of X, Y, Taps and Out, fixed at
	// construction and kept after Close, unlike r: see at.
	base    [4]uintptr
	block   int // elements copied in per kernel call when streaming
	closed  bool
	broken  error // the first failure of a kernel call; sticky
	release func() error
	cleanup runtime.Cleanup
}

// streamBlock is the most elements a copying call moves per kernel call:
// 16 KiB per operand, so that the kernel reads from the first-level cache
// what the copy has just written there, instead of the copy and the kernel
// each streaming the whole input through the outer caches. The cost is one
// foreign call per block, small against the copy of a block.
const streamBlock = 2048

func init() {
	link.Instance = func(hs [nKernels]any, x, y, taps, out []float64, closeFn func() error, unreachable func()) (any, error) {
		return newInstance(hs, Regions{X: x, Y: y, Taps: taps, Out: out}, closeFn, unreachable)
	}
}

// newInstance makes an instance; backend.NewInstance documents it.
func newInstance(hs [nKernels]any, r Regions, closeFn func() error, unreachable func()) (*Instance, error) {
	c := len(r.X)
	switch {
	case closeFn == nil:
		return nil, fmt.Errorf("%w: NewInstance needs a Close", ErrArgument)
	case c < 1 || len(r.Y) != c || len(r.Out) != c:
		return nil, fmt.Errorf("%w: regions X, Y and Out must have one length of at least 1, not %d, %d and %d",
			ErrArgument, len(r.X), len(r.Y), len(r.Out))
	case len(r.Taps) < 1 || len(r.Taps) > c:
		return nil, fmt.Errorf("%w: region Taps must hold 1 to %d elements, not %d", ErrArgument, c, len(r.Taps))
	}
	all := [...][]float64{r.X, r.Y, r.Taps, r.Out}
	for i, a := range all {
		for _, b := range all[i+1:] {
			if args.Overlap(a, b) {
				return nil, fmt.Errorf("%w: the regions overlap each other", ErrArgument)
			}
		}
	}
	nt := len(r.Taps)
	r = Regions{X: r.X[:c:c], Y: r.Y[:c:c], Taps: r.Taps[:nt:nt], Out: r.Out[:c:c]}
	s := &Instance{r: r, n: c, taps: nt, block: min(c, streamBlock), release: closeFn}
	for i, a := range [...][]float64{r.X, r.Y, r.Taps, r.Out} {
		s.base[i] = uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	}
	for i, h := range hs {
		s.hs[i] = h.(*kernel.Handle)
		s.run[i] = hostapi.Runner(h).(runner)
		// A host whose frame holds the arguments laid out as Args has
		// nothing to copy when the call writes them there.
		s.args[i] = &s.local[i]
		if f, ok := s.run[i].(interface{ Frame() *kernel.Args }); ok {
			if fa := f.Frame(); fa != nil {
				s.args[i] = fa
			}
		}
	}
	s.cleanup = runtime.AddCleanup(s, func(unreachable func()) {
		leak.Add()
		if unreachable != nil {
			unreachable()
		}
	}, unreachable)
	return s, nil
}

// Leaked reports how many instances and handles the garbage collector
// reclaimed without a Close. The backstop unpinned what it could, but
// memory that views of the regions may still reach stays allocated: each
// one is a missing Close in the program, and tests should expect zero.
func Leaked() int64 { return leak.Count() }

// Err returns nil while the instance can run kernels, ErrClosed after
// Close, and the failure that broke it (which wraps ErrBroken) after one.
// A Pool uses it to drop instances that cannot be used again.
func (s *Instance) Err() error {
	if s == nil {
		return ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state()
}

// Close releases the buffers. Calls after Close return ErrClosed; the
// Regions from before Close must no longer be used. Closing twice is
// harmless, and so is closing a broken instance.
func (s *Instance) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.release == nil {
		return nil
	}
	s.closed = true
	s.r = Regions{}
	s.cleanup.Stop()
	for _, h := range s.hs {
		_ = h.Close()
	}
	return s.release()
}

// Regions returns the buffers, for calls in place, or empty slices once
// the instance is closed.
func (s *Instance) Regions() Regions {
	if s == nil {
		return Regions{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r
}

// state returns the error every call gets, if any; s.mu is held. An
// Instance no host made (the zero Instance) is closed. Each kernel's
// method takes s.mu and checks state itself, rather than through a
// helper that does both: sync.Mutex.Lock is inlined only where it is
// written, and a call of one of the built-ins in place at n = 1 costs
// 1 to 2 ns less so.
func (s *Instance) state() error {
	if s.closed || s.release == nil {
		return ErrClosed
	}
	return s.broken
}

// fail breaks the instance with a kernel call's error err; s.mu is held.
func (s *Instance) fail(err error) error {
	if !errors.Is(err, ErrBroken) {
		err = fmt.Errorf("%w: %w", ErrBroken, err)
	}
	s.broken = err
	return err
}

// own reports whether any of the caller's slices ss overlaps one of the
// instance's regions, which a copy into the regions would overwrite
// before reading; s.mu is held.
func (s *Instance) own(ss ...[]float64) bool {
	for _, x := range ss {
		if args.Overlap(x, s.r.X) || args.Overlap(x, s.r.Y) || args.Overlap(x, s.r.Out) || args.Overlap(x, s.r.Taps) {
			return true
		}
	}
	return false
}

// start begins a copy-in call of kernel k on the caller's slices ss: it
// returns the error the call must fail with, if any; s.mu is held, and
// the state checked.
func (s *Instance) start(k int, ss ...[]float64) error {
	if s.own(ss...) {
		return errOwn[k]
	}
	return nil
}

// errOwn is the error of a call of each kernel given a slice of the
// instance's own regions that is not the view its operand runs in place
// on: fixed, so that returning it allocates nothing.
var errOwn = func() (e [nKernels]error) {
	for k, name := range [nKernels]string{iSum: "sum", iDot: "dot", iAxpy: "axpy", iFIR: "fir", iMatMul: "matmul"} {
		e[k] = fmt.Errorf("%w: %s: a slice overlaps the instance's Regions; to call in place, pass every operand as a view of its own region from its start", ErrOverlap, name)
	}
	return e
}()

// The regions, as indexes of base.
const (
	iX = iota
	iY
	iTaps
	iOut
)

// at reports whether x is a view of region i from its start, within its
// capacity: an operand in place. It reads only what construction fixed
// (base, and the capacities; r is cleared at Close), so that Axpy checks
// its operands before it takes mu and its call in place holds no slice
// across the lock: with its three slices and a scalar live there, it took
// 3.5 ns more at n = 1 (the other kernels', with fewer operands, gained
// nothing so, and paid for the extra call). The state is still checked
// under the lock: a view after Close gets ErrClosed.
func (s *Instance) at(x []float64, i int) bool {
	c := s.n
	if i == iTaps {
		c = s.taps
	}
	return uintptr(unsafe.Pointer(unsafe.SliceData(x))) == s.base[i&3] && len(x) <= c
}

// sum, dot, axpy, fir and matmul run their kernel in place on the first
// elements of the regions, the sizes checked, by calling the host of the
// kernel's handle with the lengths and scalars written into s.args; s.mu
// is held. They return the host's error as it is, and their callers break
// the instance with it (s.fail), so that the helpers stay small: an
// in-place call of a small kernel was measurably slower (dot at n = 1 by
// about a twentieth) when they failed the instance themselves.

func (s *Instance) sum(n int) (float64, error) {
	a := s.args[iSum]
	a.Len[0] = n
	ret, err := s.run[iSum].Run(a)
	return ret.F, err
}

func (s *Instance) dot(n int) (float64, error) {
	a := s.args[iDot]
	a.Len[0], a.Len[1] = n, n
	ret, err := s.run[iDot].Run(a)
	return ret.F, err
}

func (s *Instance) axpy(alpha float64, n int) error {
	a := s.args[iAxpy]
	a.Len[0], a.Len[1], a.Len[2], a.F[0] = n, n, n, alpha
	_, err := s.run[iAxpy].Run(a)
	return err
}

// fir returns the number of outputs the kernel reports, which its
// callers check against n-k+1 (firFailed).
func (s *Instance) fir(n, k int) (int64, error) {
	a := s.args[iFIR]
	a.Len[0], a.Len[1], a.Len[2] = n, k, n-k+1
	ret, err := s.run[iFIR].Run(a)
	return ret.N, err
}

// firFailed breaks the instance after an fir of n values with k taps
// that failed with err, or reported got outputs instead of n-k+1.
func (s *Instance) firFailed(err error, got int64, n, k int) error {
	if err == nil {
		err = fmt.Errorf("the fir of %d values with %d taps returned %d outputs, not %d", n, k, got, n-k+1)
	}
	return s.fail(err)
}

func (s *Instance) matmul(m int) error {
	a := s.args[iMatMul]
	mm := m * m
	a.Len[0], a.Len[1], a.Len[2], a.I[0] = mm, mm, mm, int64(m)
	_, err := s.run[iMatMul].Run(a)
	return err
}

// Sum returns x[0] + ... + x[len(x)-1], or 0 for an empty x: in place
// when x is X[:n], or streamed through X in blocks.
func (s *Instance) Sum(x []float64) (float64, error) {
	if s == nil {
		return 0, ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return 0, err
	}
	if s.at(x, iX) {
		return s.result(s.sum(len(x)))
	}
	if err := s.start(iSum, x); err != nil {
		return 0, err
	}
	var total float64
	for {
		c := copy(s.r.X[:s.block], x)
		v, err := s.sum(c)
		if err != nil {
			return 0, s.fail(err)
		}
		total += v
		if x = x[c:]; len(x) == 0 {
			return total, nil
		}
	}
}

// result is the result of a sum or dot product in place: a failed
// kernel breaks the instance.
func (s *Instance) result(v float64, err error) (float64, error) {
	if err != nil {
		return 0, s.fail(err)
	}
	return v, nil
}

// Dot returns the inner product of x and y, which must have the same
// length: in place when they are X[:n] and Y[:n], or streamed through X
// and Y in blocks.
func (s *Instance) Dot(x, y []float64) (float64, error) {
	if s == nil {
		return 0, ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return 0, err
	}
	if len(x) == len(y) && s.at(x, iX) && s.at(y, iY) {
		return s.result(s.dot(len(x)))
	}
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	if err := s.start(iDot, x, y); err != nil {
		return 0, err
	}
	var total float64
	for {
		c := copy(s.r.X[:s.block], x)
		copy(s.r.Y, y[:c])
		v, err := s.dot(c)
		if err != nil {
			return 0, s.fail(err)
		}
		total += v
		if x, y = x[c:], y[c:]; len(x) == 0 {
			return total, nil
		}
	}
}

// Axpy sets out[i] = a·x[i] + y[i] for i < len(x). x and y must have the
// same length, out at least that length; out may be x or y itself but
// may not overlap them otherwise (slices of your own: a view of a region
// is taken only as its own operand's, so out = X[:n] fails with
// ErrOverlap). It runs in place when x, y and out are X[:n], Y[:n] and
// Out[:n] (or longer), or streams through X, Y and Out in blocks.
func (s *Instance) Axpy(a float64, x, y, out []float64) error {
	// Views of distinct regions cannot overlap: in place, only the
	// lengths need checking.
	if s != nil && len(x) == len(y) && len(out) >= len(x) && s.at(x, iX) && s.at(y, iY) && s.at(out, iOut) {
		return s.axpyIn(a, len(x))
	}
	return s.axpyCopy(a, x, y, out)
}

// axpyIn is Axpy in place, on the first n elements of the regions.
func (s *Instance) axpyIn(a float64, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return err
	}
	if err := s.axpy(a, n); err != nil {
		return s.fail(err)
	}
	return nil
}

// axpyCopy is Axpy on slices that are not all views of the regions.
func (s *Instance) axpyCopy(a float64, x, y, out []float64) error {
	if s == nil {
		return ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return err
	}
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	if err := s.start(iAxpy, x, y, out); err != nil {
		return err
	}
	for len(x) > 0 {
		c := copy(s.r.X[:s.block], x)
		copy(s.r.Y, y[:c])
		if err := s.axpy(a, c); err != nil {
			return s.fail(err)
		}
		copy(out[:c], s.r.Out)
		x, y, out = x[c:], y[c:], out[c:]
	}
	return nil
}

// FIR filters x with the k = len(taps) taps in valid mode,
// out[i] = Σ_{j<k} taps[j]·x[i+j] for i ≤ len(x)-k, and returns the number
// of outputs, len(x)-k+1. It needs 1 ≤ k ≤ len(x), and out must hold the
// outputs without overlapping x or taps; the taps must fit the Taps
// region. It runs in place when x, taps and out are X[:n], Taps[:k] and
// Out[:n-k+1] (or longer), or streams x through X in blocks that overlap
// by k-1 values, so that every output sees its k inputs.
func (s *Instance) FIR(x, taps, out []float64) (int, error) {
	if s == nil {
		return 0, ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return 0, err
	}
	k := len(taps)
	if k >= 1 && k <= len(x) && len(out) >= len(x)-k+1 && s.at(x, iX) && s.at(taps, iTaps) && s.at(out, iOut) {
		n := len(x)
		got, err := s.fir(n, k)
		if err != nil || got != int64(n-k+1) {
			return 0, s.firFailed(err, got, n, k)
		}
		return n - k + 1, nil
	}
	nout, err := args.FIR(x, taps, out)
	if err != nil {
		return 0, err
	}
	if err := args.Taps(k, s.taps); err != nil {
		return 0, err
	}
	if err := s.start(iFIR, x, taps, out); err != nil {
		return 0, err
	}
	copy(s.r.Taps, taps)
	block := min(s.n, max(s.block, 8*k)) // keep the overlap small
	for done := 0; done < nout; {
		c := copy(s.r.X[:block], x[done:])
		got, err := s.fir(c, k)
		if err != nil || got != int64(c-k+1) {
			return 0, s.firFailed(err, got, c, k)
		}
		done += copy(out[done:nout], s.r.Out[:got])
	}
	return nout, nil
}

// MatMul sets c = a·b for square row-major m×m matrices held in the
// first m·m elements of each slice; m·m must fit the capacity, and c may
// not overlap a or b (any of their elements). It runs in place when a, b and c are views of X, Y
// and Out from their start.
func (s *Instance) MatMul(a, b, c []float64, m int) error {
	if s == nil {
		return ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state(); err != nil {
		return err
	}
	if mm, err := args.Square(m); err == nil && len(a) >= mm && len(b) >= mm && len(c) >= mm &&
		s.at(a, iX) && s.at(b, iY) && s.at(c, iOut) {
		if err := s.matmul(m); err != nil {
			return s.fail(err)
		}
		return nil
	}
	mm, err := args.MatMul(a, b, c, m)
	if err != nil {
		return err
	}
	if err := args.MatMulCap(mm, s.n); err != nil {
		return err
	}
	if err := s.start(iMatMul, a, b, c); err != nil {
		return err
	}
	copy(s.r.X, a[:mm])
	copy(s.r.Y, b[:mm])
	if err := s.matmul(m); err != nil {
		return s.fail(err)
	}
	copy(c[:mm], s.r.Out)
	return nil
}

// Regions are the stable buffers of an Instance, as Go slices. They stay
// valid, at the same addresses, from construction until Close, and must
// not be used after it. An instance dropped without Close never frees
// memory its Regions point at (see Leaked).
//
// Each kernel reads and writes fixed regions: sum reads X; dot reads X and
// Y; axpy reads X and Y and writes Out; fir reads X and Taps and writes
// Out; matmul reads a from X and b from Y and writes c to Out. Views of
// them from their start, passed to the Instance's methods in those
// places, run in place.
type Regions struct {
	X, Y, Taps, Out []float64
}
