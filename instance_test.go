package zerocall_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// fakeEngine runs the naive kernels over its regions, but its fir
// reports firCount outputs when that is not negative, as a faulty or
// hostile backend might, and its Sum fails when fail is set.
type fakeEngine struct {
	r        zerocall.Regions
	firCount int
	fail     error
	calls    int
}

func (e *fakeEngine) Sum(n int) (float64, error) {
	e.calls++
	return gokernels.Sum(e.r.X[:n]), nil
}

func (e *fakeEngine) Dot(n int) (float64, error) {
	e.calls++
	return gokernels.Dot(e.r.X[:n], e.r.Y[:n]), nil
}

func (e *fakeEngine) Axpy(a float64, n int) error {
	e.calls++
	gokernels.Axpy(a, e.r.X[:n], e.r.Y[:n], e.r.Out)
	return nil
}

func (e *fakeEngine) FIR(n, k int) (int, error) {
	e.calls++
	got := gokernels.FIR(e.r.X[:n], e.r.Taps[:k], e.r.Out)
	if e.firCount >= 0 {
		got = e.firCount
	}
	return got, nil
}

func (e *fakeEngine) MatMul(m int) error {
	e.calls++
	gokernels.MatMul(e.r.X, e.r.Y, e.r.Out, m)
	return nil
}

// fakeHost is the host of built-in kernel k (its index in
// backend.Kernels) of a fake engine.
type fakeHost struct {
	e *fakeEngine
	k int
}

func (h fakeHost) Run(a *kernel.Args) (kernel.Return, error) {
	if h.e.fail != nil { // every kernel fails
		h.e.calls++
		return kernel.Return{}, h.e.fail
	}
	switch h.k {
	case 0:
		v, err := h.e.Sum(a.Len[0])
		return kernel.Return{F: v}, err
	case 1:
		v, err := h.e.Dot(a.Len[0])
		return kernel.Return{F: v}, err
	case 2:
		return kernel.Return{}, h.e.Axpy(a.F[0], a.Len[0])
	case 3:
		n, err := h.e.FIR(a.Len[0], a.Len[1])
		return kernel.Return{N: int64(n)}, err
	}
	return kernel.Return{}, h.e.MatMul(int(a.I[0]))
}

func (fakeHost) RunBatch(int) error { return nil }
func (fakeHost) Close() error       { return nil }

// hosts returns the hosts of e's kernels.
func (e *fakeEngine) hosts() (hs [backend.N]regionset.Host) {
	for i := range hs {
		hs[i] = fakeHost{e, i}
	}
	return hs
}

// fakeRegions returns regions of capacity c and taps t in one Go buffer.
func fakeRegions(c, t int) zerocall.Regions {
	mem := make([]float64, 3*c+t)
	return zerocall.Regions{X: mem[:c:c], Y: mem[c : 2*c : 2*c], Out: mem[2*c : 3*c : 3*c], Taps: mem[3*c:]}
}

func noRelease() backend.Release { return backend.Release{Close: func() error { return nil }} }

// newFake returns an instance over a fake engine with capacity 64 and 8
// taps.
func newFake(t *testing.T) (*zerocall.Instance, *fakeEngine) {
	t.Helper()
	e := &fakeEngine{r: fakeRegions(64, 8), firCount: -1}
	in, err := backend.NewInstance(e.hosts(), e.r, noRelease())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in, e
}

// TestNewInstanceChecks gives NewInstance regions and releases that would
// make the instance loop forever, panic, or write one region through
// another: each is refused with ErrArgument.
func TestNewInstanceChecks(t *testing.T) {
	good := fakeRegions(16, 4)
	mem := make([]float64, 64)
	for name, tc := range map[string]struct {
		r   zerocall.Regions
		rel backend.Release
	}{
		"empty regions":     {zerocall.Regions{}, noRelease()},
		"empty X":           {zerocall.Regions{Y: good.Y, Out: good.Out, Taps: good.Taps}, noRelease()},
		"short Y":           {zerocall.Regions{X: good.X, Y: good.Y[:15], Out: good.Out, Taps: good.Taps}, noRelease()},
		"long Out":          {zerocall.Regions{X: good.X[:8], Y: good.Y[:8], Out: good.Out, Taps: good.Taps}, noRelease()},
		"no Taps":           {zerocall.Regions{X: good.X, Y: good.Y, Out: good.Out}, noRelease()},
		"Taps over X":       {zerocall.Regions{X: good.X[:2], Y: good.Y[:2], Out: good.Out[:2], Taps: good.Taps}, noRelease()},
		"X overlaps Y":      {zerocall.Regions{X: mem[0:16], Y: mem[8:24], Out: mem[32:48], Taps: mem[48:52]}, noRelease()},
		"Taps inside Out":   {zerocall.Regions{X: mem[0:16], Y: mem[16:32], Out: mem[32:48], Taps: mem[40:44]}, noRelease()},
		"no Close function": {good, backend.Release{}},
	} {
		e := &fakeEngine{r: tc.r, firCount: -1}
		if in, err := backend.NewInstance(e.hosts(), tc.r, tc.rel); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("%s: err = %v, want ErrArgument", name, err)
			if in != nil {
				in.Close()
			}
		}
	}
	if _, err := backend.NewInstance([backend.N]regionset.Host{}, good, noRelease()); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("no hosts: err = %v, want ErrArgument", err)
	}
}

// TestEngineResultChecked gives the instance an engine whose fir reports
// the wrong number of outputs: none (which made streaming loop forever)
// and more than Out holds (which made it panic). Each must break the
// instance with ErrBroken, within a second, and never call the engine
// again.
func TestEngineResultChecked(t *testing.T) {
	for _, count := range []int{0, 1, 1000, 1 << 40} {
		t.Run("", func(t *testing.T) {
			in, e := newFake(t)
			e.firCount = count
			x, taps, out := make([]float64, 200), make([]float64, 3), make([]float64, 200)
			done := make(chan error, 2)
			go func() {
				defer func() {
					if p := recover(); p != nil {
						done <- errors.New("panic: " + strings.TrimSpace(toString(p)))
					}
				}()
				_, err := in.FIR(x, taps, out)
				done <- err
				r := in.Regions()
				_, err = in.FIR(r.X[:20], r.Taps[:3], r.Out)
				done <- err
			}()
			for _, what := range []string{"FIR", "FIR in place after it"} {
				select {
				case err := <-done:
					if !errors.Is(err, zerocall.ErrBroken) {
						t.Errorf("%s with an engine reporting %d outputs: err = %v, want ErrBroken", what, e.firCount, err)
					}
				case <-time.After(time.Second):
					t.Fatalf("%s with an engine reporting %d outputs did not return", what, e.firCount)
				}
			}
			if e.calls != 1 {
				t.Errorf("engine called %d times, want once", e.calls)
			}
			if err := in.Err(); !errors.Is(err, zerocall.ErrBroken) {
				t.Errorf("Err = %v, want ErrBroken", err)
			}
		})
	}
}

func toString(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "non-string panic"
}

// TestEngineFailureBreaks checks that an engine error breaks the instance
// even when the engine does not wrap ErrBroken itself, on every kernel,
// in place and copying: the call fails with ErrBroken and the engine's
// message, and every later call with ErrBroken, without calling the
// engine again.
func TestEngineFailureBreaks(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	for name, call := range map[string]func(in *zerocall.Instance, r zerocall.Regions) error{
		"sum in place":  func(in *zerocall.Instance, r zerocall.Regions) error { _, err := in.Sum(r.X[:3]); return err },
		"sum copying":   func(in *zerocall.Instance, r zerocall.Regions) error { _, err := in.Sum(x); return err },
		"dot in place":  func(in *zerocall.Instance, r zerocall.Regions) error { _, err := in.Dot(r.X[:4], r.Y[:4]); return err },
		"dot copying":   func(in *zerocall.Instance, r zerocall.Regions) error { _, err := in.Dot(x, x); return err },
		"axpy in place": func(in *zerocall.Instance, r zerocall.Regions) error { return in.Axpy(2, r.X[:4], r.Y[:4], r.Out[:4]) },
		"axpy copying":  func(in *zerocall.Instance, r zerocall.Regions) error { return in.Axpy(2, x, x, make([]float64, 4)) },
		"fir in place": func(in *zerocall.Instance, r zerocall.Regions) error {
			_, err := in.FIR(r.X[:4], r.Taps[:2], r.Out[:3])
			return err
		},
		"fir copying": func(in *zerocall.Instance, r zerocall.Regions) error {
			_, err := in.FIR(x, x[:2], make([]float64, 3))
			return err
		},
		"matmul in place": func(in *zerocall.Instance, r zerocall.Regions) error {
			return in.MatMul(r.X[:4], r.Y[:4], r.Out[:4], 2)
		},
		"matmul copying": func(in *zerocall.Instance, r zerocall.Regions) error { return in.MatMul(x, x, make([]float64, 4), 2) },
	} {
		in, e := newFake(t)
		e.fail = errors.New("the foreign side gave up")
		if err := call(in, in.Regions()); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "gave up") {
			t.Errorf("%s: err = %v, want ErrBroken with the engine's message", name, err)
		}
		e.fail = nil
		if err := call(in, in.Regions()); !errors.Is(err, zerocall.ErrBroken) {
			t.Errorf("%s after the failure: err = %v, want ErrBroken", name, err)
		}
		if _, err := in.Sum([]float64{1}); !errors.Is(err, zerocall.ErrBroken) || !errors.Is(in.Err(), zerocall.ErrBroken) {
			t.Errorf("Sum after %s failed: err = %v, Err() = %v, want ErrBroken", name, err, in.Err())
		}
		if e.calls != 1 {
			t.Errorf("%s: the engine was called %d times, want once", name, e.calls)
		}
		if err := in.Close(); err != nil {
			t.Errorf("Close of an instance broken by %s: %v", name, err)
		}
	}
}

// newInstance makes the instance the tests of Instance and Pool run on:
// pinned Go memory through cgo, or wazero in a build without cgo.
func newInstance(capacity, taps int) func() (*zerocall.Instance, error) {
	if cgoEnabled {
		return newPinned(capacity, taps)
	}
	return func() (*zerocall.Instance, error) {
		return wasm.New(zerocall.Config{Capacity: capacity, Taps: taps})
	}
}

// TestZeroInstance checks that an Instance no host made is closed: its
// methods fail with ErrClosed, rather than panic, and Close is harmless.
func TestZeroInstance(t *testing.T) {
	var zero zerocall.Instance
	// A nil Instance is what a failed constructor returns beside its
	// error: a deferred Close or a call on it must not panic either.
	for name, in := range map[string]*zerocall.Instance{"zero": &zero, "nil": nil} {
		x := []float64{1}
		if _, err := in.Sum(x); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("Sum on the %s Instance: %v, want ErrClosed", name, err)
		}
		if _, err := in.Dot(x, x); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("Dot on the %s Instance: %v, want ErrClosed", name, err)
		}
		if err := in.Axpy(1, x, x, make([]float64, 1)); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("Axpy on the %s Instance: %v, want ErrClosed", name, err)
		}
		// Empty slices start where the zero Instance's regions would.
		if err := in.Axpy(1, nil, nil, nil); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("Axpy of nothing on the %s Instance: %v, want ErrClosed", name, err)
		}
		if _, err := in.FIR(x, x, make([]float64, 1)); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("FIR on the %s Instance: %v, want ErrClosed", name, err)
		}
		if err := in.MatMul(x, x, make([]float64, 1), 1); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("MatMul on the %s Instance: %v, want ErrClosed", name, err)
		}
		if r := in.Regions(); r.X != nil || r.Out != nil {
			t.Errorf("Regions of the %s Instance: %v, want none", name, r)
		}
		if err := in.Err(); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("Err of the %s Instance: %v, want ErrClosed", name, err)
		}
		if err := in.Close(); err != nil {
			t.Errorf("Close of the %s Instance: %v", name, err)
		}
	}
}

// TestRefusalsNameKernel checks that the refusals of an instance's own
// rules name the kernel: a region passed other than as its operand's
// view from its start, and a matmul whose m·m is past the capacity.
func TestRefusalsNameKernel(t *testing.T) {
	in, err := newInstance(8, 0)()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := in.Regions()
	for _, c := range []struct {
		err  error
		is   error
		want string
	}{
		{func() error { _, err := in.Sum(r.X[1:]); return err }(), zerocall.ErrOverlap, "sum: a slice overlaps the instance's Regions"},
		{func() error { _, err := in.Dot(r.Y[:4], r.X[:4]); return err }(), zerocall.ErrOverlap, "dot: a slice overlaps"},
		{in.Axpy(2, r.X[1:3], make([]float64, 2), make([]float64, 2)), zerocall.ErrOverlap, "axpy: a slice overlaps"},
		{in.MatMul(make([]float64, 9), make([]float64, 9), make([]float64, 9), 3), zerocall.ErrCapacity, "matmul: m·m is past the capacity"},
	} {
		if !errors.Is(c.err, c.is) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%v, want %v saying %q", c.err, c.is, c.want)
		}
	}
}
