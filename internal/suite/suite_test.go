package suite

import (
	"testing"

	"github.com/zerocall/zerocall/internal/gokernels"
)

// lazy computes nothing into its outputs: its axpy, fir and matmul leave
// them as they were.
type lazy struct{ gokernels.Naive }

func (lazy) Axpy(a float64, x, y, out []float64) error { return nil }
func (lazy) FIR(x, taps, out []float64) (int, error)   { return len(x) - len(taps) + 1, nil }
func (lazy) MatMul(a, b, c []float64, m int) error     { return nil }

// TestPrepareStaleOutput prepares a right implementation and then one
// that writes nothing on the same inputs, as Benchmark does: the output
// still holds the first one's answer, which must not pass for the
// second's.
func TestPrepareStaleOutput(t *testing.T) {
	for _, k := range []Kernel{Axpy, FIR, MatMul} {
		in := NewInputs(k, 16)
		if _, err := Prepare(Impl{Name: "go"}, gokernels.Naive{}, in); err != nil {
			t.Fatalf("%s: go: %v", k, err)
		}
		if _, err := Prepare(Impl{Name: "lazy"}, lazy{}, in); err == nil {
			t.Errorf("%s: an implementation that writes no output passed the check", k)
		}
	}
}

// TestCheckFIRCount checks a fir that says it wrote fewer outputs than
// the filter has: a wrong answer, not a panic.
func TestCheckFIRCount(t *testing.T) {
	in := NewInputs(FIR, 32)
	bufs, a := in.Slices()
	r := GoFunc(FIR)(&a, bufs)
	if err := in.Check(r, bufs); err != nil {
		t.Fatalf("the unrolled fir: %v", err)
	}
	r.N--
	if err := in.Check(r, bufs); err == nil {
		t.Errorf("a fir of %d outputs of %d passed", r.N, r.N+1)
	}
}
