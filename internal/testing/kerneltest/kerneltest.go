package kerneltest

import (
	"errors"
	"math"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
)

// Target is one backend, or one path of a backend, under test.
type Target struct {
	// New returns a fresh instance; Run closes it.
	New func() (measure.Kernels, error)
	// Capacity is the most elements a stable-buffer instance takes in one
	// piece (the most m·m of a matmul); 0 for an instance without buffers.
	Capacity int
	// Taps is the most fir taps; 0 for no limit.
	Taps int
	// Stateless instances hold nothing, so Close leaves them usable.
	Stateless bool
}

// Sizes are the lengths every kernel is tested at: empty, each remainder
// of 2-, 4-, 8- and 16-wide loops on both sides of a block, and long.
var Sizes = []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000, 100003}

// Run runs the whole table against tg: every path of its instances
// (copy-in, and in place on an Instance's Regions) on every
// kernel.
func Run(t *testing.T, tg Target) {
	k, err := tg.New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer k.Close()
	for _, p := range Paths(k) {
		t.Run(p.Name, func(t *testing.T) {
			t.Run("Sum", func(t *testing.T) { testSum(t, p, tg) })
			t.Run("Dot", func(t *testing.T) { testDot(t, p, tg) })
			t.Run("Axpy", func(t *testing.T) { testAxpy(t, p, tg) })
			t.Run("FIR", func(t *testing.T) { testFIR(t, p, tg) })
			t.Run("MatMul", func(t *testing.T) { testMatMul(t, p, tg) })
			t.Run("Special", func(t *testing.T) { testSpecial(t, p) })
			t.Run("Errors", func(t *testing.T) { testErrors(t, p, tg) })
			t.Run("Allocs", func(t *testing.T) { testAllocs(t, p) })
		})
	}
	if in, ok := k.(*zerocall.Instance); ok {
		t.Run("OwnRegions", func(t *testing.T) { testOwnRegions(t, in) })
	}
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, k) })
	t.Run("Close", func(t *testing.T) { testClose(t, tg) })
	if !tg.Stateless {
		t.Run("CloseWhileCalling", func(t *testing.T) { testCloseWhileCalling(t, tg) })
	}
}

// Path is one way of calling an instance's kernels, with the signatures of
// measure.Kernels: copying the caller's slices in, or, in place, filling
// the instance's regions and calling a kernel on views of them.
type Path struct {
	Name    string
	InPlace bool
	In      *zerocall.Instance // for the in-place path
	Sum     func(x []float64) (float64, error)
	Dot     func(x, y []float64) (float64, error)
	Axpy    func(a float64, x, y, out []float64) error
	FIR     func(x, taps, out []float64) (int, error)
	MatMul  func(a, b, c []float64, m int) error
}

// type path keeps the test table's code short.
type path = Path

// Paths returns the ways k can be called: copy-in, and in place when k
// is an Instance, which has Regions.
func Paths(k measure.Kernels) []Path {
	ps := []path{{Name: "copy", Sum: k.Sum, Dot: k.Dot, Axpy: k.Axpy, FIR: k.FIR, MatMul: k.MatMul}}
	in, ok := k.(*zerocall.Instance)
	if !ok {
		return ps
	}
	// The in-place path fills the regions itself, as a caller would, and
	// calls the kernel on views of them. An input that does not fit has
	// no view: the path fails it with ErrCapacity, as a caller could not
	// make the call.
	r := in.Regions()
	view := func(dst, src []float64) ([]float64, bool) {
		if len(src) > len(dst) {
			return nil, false
		}
		copy(dst, src)
		return dst[:len(src)], true
	}
	return append(ps, path{
		Name:    "inplace",
		InPlace: true,
		In:      in,
		Sum: func(x []float64) (float64, error) {
			vx, ok := view(r.X, x)
			if !ok {
				return 0, zerocall.ErrCapacity
			}
			return in.Sum(vx)
		},
		Dot: func(x, y []float64) (float64, error) {
			vx, okx := view(r.X, x)
			vy, oky := view(r.Y, y)
			if !okx || !oky {
				return 0, zerocall.ErrCapacity
			}
			return in.Dot(vx, vy)
		},
		Axpy: func(a float64, x, y, out []float64) error {
			vx, okx := view(r.X, x)
			vy, oky := view(r.Y, y)
			if !okx || !oky || len(out) > len(r.Out) {
				return zerocall.ErrCapacity
			}
			err := in.Axpy(a, vx, vy, r.Out[:len(out)])
			if err == nil {
				copy(out, r.Out[:len(x)])
			}
			return err
		},
		FIR: func(x, taps, out []float64) (int, error) {
			vx, okx := view(r.X, x)
			vt, okt := view(r.Taps, taps)
			if !okx || !okt {
				return 0, zerocall.ErrCapacity
			}
			n, err := in.FIR(vx, vt, r.Out[:min(len(out), len(r.Out))])
			if err == nil {
				copy(out, r.Out[:n])
			}
			return n, err
		},
		MatMul: func(a, b, c []float64, m int) error {
			va, oka := view(r.X, a)
			vb, okb := view(r.Y, b)
			if !oka || !okb || len(c) > len(r.Out) {
				return zerocall.ErrCapacity
			}
			err := in.MatMul(va, vb, r.Out[:len(c)], m)
			if err == nil {
				copy(c, r.Out[:m*m])
			}
			return err
		},
	})
}

// sizes returns Sizes plus the sizes around the target's capacity. Under
// the race detector, which slows the Go side tenfold and checks nothing
// more on long inputs than on short ones, it leaves out those over 5000.
func sizes(tg Target) []int {
	ns := Sizes
	if c := tg.Capacity; c > 0 {
		ns = append(ns[:len(ns):len(ns)], c-1, c, c+1, 2*c+3)
	}
	if raceEnabled {
		var short []int
		for _, n := range ns {
			if n <= 5000 {
				short = append(short, n)
			}
		}
		ns = short
	}
	return ns
}

// wantErr is the error a call of n elements (m·m for matmul) and k taps
// must give on path p: the copy path streams everything but matmul.
func wantErr(p path, tg Target, n, k int, streams bool) error {
	if tg.Capacity > 0 && n > tg.Capacity && (p.InPlace || !streams) {
		return zerocall.ErrCapacity
	}
	if tg.Taps > 0 && k > tg.Taps {
		return zerocall.ErrCapacity
	}
	return nil
}

// input returns n values starting one element past an aligned boundary
// when off is 1.
func input(n, off int, seed uint64) []float64 {
	return Data(n+off, seed)[off:]
}

func testSum(t *testing.T, p path, tg Target) {
	for _, n := range sizes(tg) {
		for off := range 2 {
			x := input(n, off, 1)
			got, err := p.Sum(x)
			if want := wantErr(p, tg, n, 0, true); !errors.Is(err, want) {
				t.Fatalf("n=%d off=%d: err = %v, want %v", n, off, err, want)
			}
			if err != nil {
				continue
			}
			if err := CheckSum(x, got); err != nil {
				t.Errorf("n=%d off=%d: %v", n, off, err)
			}
		}
	}
}

func testDot(t *testing.T, p path, tg Target) {
	for _, n := range sizes(tg) {
		for off := range 2 {
			x, y := input(n, off, 2), input(n, 1-off, 3)
			got, err := p.Dot(x, y)
			if want := wantErr(p, tg, n, 0, true); !errors.Is(err, want) {
				t.Fatalf("n=%d off=%d: err = %v, want %v", n, off, err, want)
			}
			if err != nil {
				continue
			}
			if err := CheckDot(x, y, got); err != nil {
				t.Errorf("n=%d off=%d: %v", n, off, err)
			}
		}
	}
}

func testAxpy(t *testing.T, p path, tg Target) {
	const a = -1.75
	for _, n := range sizes(tg) {
		for off := range 2 {
			x, y := input(n, off, 4), input(n, 1-off, 5)
			out := input(n, off, 6)
			err := p.Axpy(a, x, y, out)
			if want := wantErr(p, tg, n, 0, true); !errors.Is(err, want) {
				t.Fatalf("n=%d off=%d: err = %v, want %v", n, off, err, want)
			}
			if err != nil {
				continue
			}
			if err := CheckAxpy(a, x, y, out); err != nil {
				t.Errorf("n=%d off=%d: %v", n, off, err)
			}
		}
	}
	// out may be x or y itself.
	x, y := Data(33, 7), Data(33, 8)
	x0, y0 := append([]float64(nil), x...), append([]float64(nil), y...)
	if err := p.Axpy(a, x, y, y); err != nil {
		t.Fatalf("out == y: %v", err)
	}
	if err := CheckAxpy(a, x0, y0, y); err != nil {
		t.Errorf("out == y: %v", err)
	}
	x, y = append(x[:0], x0...), append(y[:0], y0...)
	if err := p.Axpy(a, x, y, x); err != nil {
		t.Fatalf("out == x: %v", err)
	}
	if err := CheckAxpy(a, x0, y0, x); err != nil {
		t.Errorf("out == x: %v", err)
	}
}

// firTaps are the tap counts tested: below, at and past each vector width.
var firTaps = []int{1, 2, 3, 4, 5, 8, 15, 16, 17, 33}

func testFIR(t *testing.T, p path, tg Target) {
	for _, n := range sizes(tg) {
		for _, k := range firTaps {
			if k > n || (n > 1000 && k%4 != 1 && k != 16) {
				continue // the large sizes take a few tap counts
			}
			for off := range 2 {
				x, taps := input(n, off, 9), Data(k, 10)
				out := make([]float64, n-k+2)
				out[n-k+1] = 42 // a canary past the last output
				got, err := p.FIR(x, taps, out)
				if want := wantErr(p, tg, n, k, true); !errors.Is(err, want) {
					t.Fatalf("n=%d k=%d off=%d: err = %v, want %v", n, k, off, err, want)
				}
				if err != nil {
					continue
				}
				if got != n-k+1 || out[n-k+1] != 42 {
					t.Fatalf("n=%d k=%d: %d outputs, canary %v", n, k, got, out[n-k+1])
				}
				if err := CheckFIR(x, taps, out); err != nil {
					t.Fatalf("n=%d k=%d off=%d: %v", n, k, off, err)
				}
			}
		}
	}
}

// matmulOrders are the matrix orders tested.
var matmulOrders = []int{0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 31, 33, 47, 64, 100}

func testMatMul(t *testing.T, p path, tg Target) {
	ms := matmulOrders
	if c := tg.Capacity; c > 0 {
		s := int(math.Sqrt(float64(c)))
		ms = append(ms[:len(ms):len(ms)], s, s+1)
	}
	for _, m := range ms {
		mm := m * m
		a, b := input(mm, 1, 11), Data(mm, 12)
		c := make([]float64, mm+1)
		c[mm] = 42
		err := p.MatMul(a, b, c, m)
		if want := wantErr(p, tg, mm, 0, false); !errors.Is(err, want) {
			t.Fatalf("m=%d: err = %v, want %v", m, err, want)
		}
		if err != nil {
			continue
		}
		if c[mm] != 42 {
			t.Fatalf("m=%d: wrote past c[m*m-1]", m)
		}
		if err := CheckMatMul(a, b, c, m); err != nil {
			t.Fatalf("m=%d: %v", m, err)
		}
	}
}

// absSum returns Σ|x[i]|, or Σ|x[i]·y[i]| when y is not nil.
func absSum(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		if y != nil {
			v *= y[i]
		}
		s += math.Abs(v)
	}
	return s
}
