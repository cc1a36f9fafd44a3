package zerocall

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/zerocall/zerocall/internal/args"
)

// Engine runs the kernels of a backend with stable buffers over the first
// n values of its Regions. An Engine is the only part a backend writes:
// Instance wraps it with argument checks, the mutex, streaming through the
// buffers and the closed state. Its methods are called with the
// instance's mutex held and with sizes already checked against the
// regions' capacities.
type Engine interface {
	// Sum returns the sum of X[:n].
	Sum(n int) (float64, error)
	// Dot returns the inner product of X[:n] and Y[:n].
	Dot(n int) (float64, error)
	// Axpy sets Out[i] = a·X[i] + Y[i] for i < n.
	Axpy(a float64, n int) error
	// FIR filters X[:n] with Taps[:k] into Out and returns n-k+1.
	FIR(n, k int) (int, error)
	// MatMul sets Out = X·Y for m×m matrices.
	MatMul(m int) error
}

// Instance is a kernel instance over stable buffers: pinned Go memory,
// C-owned memory or a wasm module's linear memory, depending on the
// constructor that made it. It implements Kernels and InPlace. Its
// methods may be called from several goroutines; they take turns on the
// instance's mutex.
type Instance struct {
	mu      sync.Mutex
	eng     Engine
	r       Regions
	block   int // elements copied in per kernel call when streaming
	closed  bool
	release func() error
	cleanup runtime.Cleanup
}

var (
	_ Kernels = (*Instance)(nil)
	_ InPlace = (*Instance)(nil)
)

// streamBlock is the most elements the copy-in methods move per kernel
// call: 16 KiB per operand, so that the kernel reads from the first-level
// cache what the copy has just written there, instead of the copy and the
// kernel each streaming the whole input through the outer caches. The cost
// is one foreign call per block, small against the copy of a block.
const streamBlock = 2048

// leaked counts instances released by the garbage-collection backstop.
var leaked atomic.Int64

// NewInstance wraps the engine e of a backend whose buffers are r. X, Y
// and Out must have the same length, the capacity; Taps may be shorter.
// release frees the buffers and is called once, by Close, or, if the
// instance becomes unreachable without Close, by a backstop that Leaked
// counts. release must not refer to the Instance, or the backstop could
// never run.
func NewInstance(e Engine, r Regions, release func() error) *Instance {
	c := len(r.X)
	r = Regions{X: r.X[:c:c], Y: r.Y[:c:c], Taps: r.Taps[:len(r.Taps):len(r.Taps)], Out: r.Out[:c:c]}
	s := &Instance{eng: e, r: r, block: min(c, streamBlock), release: release}
	s.cleanup = runtime.AddCleanup(s, func(release func() error) {
		leaked.Add(1)
		_ = release()
	}, release)
	return s
}

// Leaked reports how many instances the garbage collector reclaimed
// without a Close. The backstop released their buffers, but each one is a
// missing Close in the program: tests should expect zero.
func Leaked() int64 { return leaked.Load() }

// Capacity returns how many elements X, Y and Out hold, and how many Taps
// holds.
func (s *Instance) Capacity() (n, taps int) {
	return len(s.r.X), len(s.r.Taps)
}

// Close releases the buffers. Calls after Close return ErrClosed; the
// Regions from before Close must no longer be used. Closing twice is
// harmless.
func (s *Instance) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.r = Regions{}
	s.cleanup.Stop()
	return s.release()
}

// Regions returns the buffers for in-place use, or empty slices once the
// instance is closed.
func (s *Instance) Regions() Regions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r
}

// Sum returns the sum of x, streamed through X in blocks.
func (s *Instance) Sum(x []float64) (float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	var total float64
	for {
		c := copy(s.r.X[:s.block], x)
		v, err := s.eng.Sum(c)
		if err != nil {
			return 0, err
		}
		total += v
		if x = x[c:]; len(x) == 0 {
			return total, nil
		}
	}
}

// Dot returns the inner product of x and y, streamed through X and Y in
// blocks.
func (s *Instance) Dot(x, y []float64) (float64, error) {
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	var total float64
	for {
		c := copy(s.r.X[:s.block], x)
		copy(s.r.Y, y[:c])
		v, err := s.eng.Dot(c)
		if err != nil {
			return 0, err
		}
		total += v
		if x, y = x[c:], y[c:]; len(x) == 0 {
			return total, nil
		}
	}
}

// Axpy sets out = a·x + y, streamed through X, Y and Out in blocks.
func (s *Instance) Axpy(a float64, x, y, out []float64) error {
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for len(x) > 0 {
		c := copy(s.r.X[:s.block], x)
		copy(s.r.Y, y[:c])
		if err := s.eng.Axpy(a, c); err != nil {
			return err
		}
		copy(out[:c], s.r.Out)
		x, y, out = x[c:], y[c:], out[c:]
	}
	return nil
}

// FIR filters x with taps into out, streamed through X in blocks that
// overlap by k-1 values, so that every output sees its k inputs; the taps
// must fit the Taps region.
func (s *Instance) FIR(x, taps, out []float64) (int, error) {
	nout, err := args.FIR(x, taps, out)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	k := len(taps)
	if k > len(s.r.Taps) || k > len(s.r.X) {
		return 0, ErrCapacity
	}
	copy(s.r.Taps, taps)
	block := min(len(s.r.X), max(s.block, 8*k)) // keep the overlap small
	for done := 0; done < nout; {
		c := copy(s.r.X[:block], x[done:])
		got, err := s.eng.FIR(c, k)
		if err != nil {
			return 0, err
		}
		done += copy(out[done:nout], s.r.Out[:got])
	}
	return nout, nil
}

// MatMul sets c = a·b; m·m must fit the capacity.
func (s *Instance) MatMul(a, b, c []float64, m int) error {
	mm, err := args.MatMul(a, b, c, m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if mm > len(s.r.X) {
		return ErrCapacity
	}
	copy(s.r.X, a[:mm])
	copy(s.r.Y, b[:mm])
	if err := s.eng.MatMul(m); err != nil {
		return err
	}
	copy(c[:mm], s.r.Out)
	return nil
}

// SumN returns the sum of X[:n].
func (s *Instance) SumN(n int) (float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkN(n); err != nil {
		return 0, err
	}
	return s.eng.Sum(n)
}

// DotN returns the inner product of X[:n] and Y[:n].
func (s *Instance) DotN(n int) (float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkN(n); err != nil {
		return 0, err
	}
	return s.eng.Dot(n)
}

// AxpyN sets Out[i] = a·X[i] + Y[i] for i < n.
func (s *Instance) AxpyN(a float64, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkN(n); err != nil {
		return err
	}
	return s.eng.Axpy(a, n)
}

// FIRN filters X[:n] with Taps[:k] into Out[:n-k+1] and returns n-k+1.
func (s *Instance) FIRN(n, k int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	if err := args.FIRN(n, k, len(s.r.X), len(s.r.Taps)); err != nil {
		return 0, err
	}
	return s.eng.FIR(n, k)
}

// MatMulN sets Out = X·Y for m×m matrices; m·m must fit the capacity.
func (s *Instance) MatMulN(m int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mm, err := args.Square(m)
	if err != nil {
		return err
	}
	if err := s.checkN(mm); err != nil {
		return err
	}
	return s.eng.MatMul(m)
}

// checkN checks an in-place length; s.mu is held.
func (s *Instance) checkN(n int) error {
	if s.closed {
		return ErrClosed
	}
	return args.N(n, len(s.r.X))
}
