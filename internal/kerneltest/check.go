package kerneltest

import (
	"fmt"

	"github.com/zerocall/zerocall/gokernels"
)

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
		if err := agree(fmt.Sprintf("out[%d]", i), got[i], float64(a*x[i])+y[i], AxpyBound(a, x[i], y[i])); err != nil {
			return err
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
		if err := agree(fmt.Sprintf("out[%d]", i), got[i], want[i], ReductionBound(k, absSum(x[i:i+k], taps))); err != nil {
			return err
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
			if err := agree(fmt.Sprintf("c[%d][%d]", i, j), got[i*m+j], want[i*m+j], bound); err != nil {
				return err
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
