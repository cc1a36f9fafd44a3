package args

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/errs"
)

// TestMessages checks that each refusal wraps its sentinel, names the
// kernel and the operands at fault, and allocates nothing.
func TestMessages(t *testing.T) {
	x, y, out := make([]float64, 8), make([]float64, 8), make([]float64, 8)
	for _, c := range []struct {
		name string
		err  func() error
		is   error
		want string
	}{
		{"dot", func() error { return Dot(x, y[:7]) }, errs.Length, "dot: x and y differ in length"},
		{"axpy y", func() error { return Axpy(x, y[:7], out) }, errs.Length, "axpy: x and y differ in length"},
		{"axpy out", func() error { return Axpy(x, y, out[:7]) }, errs.Length, "axpy: out is shorter than x"},
		{"axpy overlap", func() error { return Axpy(x[:4], y[:4], x[1:5]) }, errs.Overlap, "axpy: out overlaps x or y"},
		{"fir no taps", func() error { _, err := FIR(x, nil, out); return err }, errs.Argument, "fir: no taps"},
		{"fir taps", func() error { _, err := FIR(x[:2], y[:3], out); return err }, errs.Argument, "fir: more taps than inputs"},
		{"fir out", func() error { _, err := FIR(x, y[:2], out[:6]); return err }, errs.Length, "fir: out is shorter"},
		{"fir overlap", func() error { _, err := FIR(x, y[:2], x); return err }, errs.Overlap, "fir: out overlaps x or taps"},
		{"matmul order", func() error { _, err := MatMul(x, y, out, -1); return err }, errs.Argument, "matmul: the order m is negative"},
		{"matmul length", func() error { _, err := MatMul(x[:3], y, out, 2); return err }, errs.Length, "matmul: a, b or c is shorter than m·m"},
		{"matmul overlap", func() error { _, err := MatMul(x, y, x[2:], 2); return err }, errs.Overlap, "matmul: c overlaps a or b"},
		{"matmul capacity", func() error { return MatMulCap(9, 8) }, errs.Capacity, "matmul: m·m is past the capacity of the regions"},
	} {
		err := c.err()
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %v saying %q", c.name, err, c.is, c.want)
		}
		if a := testing.AllocsPerRun(10, func() { _ = c.err() }); a != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, a)
		}
	}
}
