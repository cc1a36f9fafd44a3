package kerneltest

import (
	"fmt"
	"math"

	"github.com/zerocall/zerocall/internal/gokernels"
)

// SameBits describes how got differs from want, naive Go's values, in
// their bits, or returns nil when every value has the same bits: the
// check of a scalar variant, which promises naive Go's results exactly.
func SameBits(got, want []float64) error {
	diff, first := 0, -1
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			if diff++; first < 0 {
				first = i
			}
		}
	}
	if diff > 0 {
		return fmt.Errorf("%d of %d values differ from naive Go in their bits, first [%d]: %v, want %v",
			diff, len(want), first, got[first], want[first])
	}
	return nil
}

// The Check functions compare a kernel's result with the naive pure-Go
// reference under the documented error bound, and describe the first
// disagreement.

// CheckSum checks got as the sum of x.
func CheckSum(x []float64, got float64) error {
	return agree("sum", got, gokernels.Sum(x), ReductionBound(len(x), absSum(x, nil)))
}

// CheckDot checks got as the inner product of x and y.
func CheckDot(x, y []float64, got float64) error {
	return agree("dot", got, gokernels.Dot(x, y), ReductionBound(len(x), absSum(x, y)))
}

// CheckAxpy checks got as a·x + y.
func CheckAxpy(a float64, x, y, got []float64) error {
	for i := range x {
		if want, bound := float64(a*x[i])+y[i], AxpyBound(a, x[i], y[i]); !Agree(got[i], want, bound) {
			return agree(fmt.Sprintf("out[%d]", i), got[i], want, bound)
		}
	}
	return nil
}

// CheckFIR checks got as the valid-mode filter of x by taps.
func CheckFIR(x, taps, got []float64) error {
	k := len(taps)
	want := make([]float64, len(x)-k+1)
	gokernels.FIR(x, taps, want)
	for i := range want {
		if bound := ReductionBound(k, absSum(x[i:i+k], taps)); !Agree(got[i], want[i], bound) {
			return agree(fmt.Sprintf("out[%d]", i), got[i], want[i], bound)
		}
	}
	return nil
}

// CheckMatMul checks got as the m×m product a·b.
func CheckMatMul(a, b, got []float64, m int) error {
	want := make([]float64, m*m)
	gokernels.MatMul(a, b, want, m)
	col := make([]float64, m)
	for j := range m {
		for p := range col {
			col[p] = b[p*m+j]
		}
		for i := range m {
			bound := ReductionBound(m, absSum(a[i*m:i*m+m], col))
			if k := i*m + j; !Agree(got[k], want[k], bound) {
				return agree(fmt.Sprintf("c[%d][%d]", i, j), got[k], want[k], bound)
			}
		}
	}
	return nil
}

func agree(what string, got, want, bound float64) error {
	if !Agree(got, want, bound) {
		return fmt.Errorf("%s = %v, want %v ± %.3g", what, got, want, bound)
	}
	return nil
}
