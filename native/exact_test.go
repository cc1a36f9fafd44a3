//go:build cgo

package native_test

import (
	"math"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/internal/measure"
)

// TestScalarExact checks the claim of the ABI header and the package
// documentation: the scalar C kernels and the naive Go ones give the same
// bits. It depends on the C being compiled without contracting a·b + c
// into a fused multiply-add, whatever the compiler: make test runs it
// under gcc and under clang (CC=clang).
func TestScalarExact(t *testing.T) {
	s, err := measure.Straight(zerocall.Scalar)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	same := func(what string, n int, got, want []float64) {
		t.Helper()
		if err := kerneltest.SameBits(got, want); err != nil {
			t.Errorf("%s, n=%d: %v", what, n, err)
		}
	}
	for _, n := range append(kerneltest.Sizes[:len(kerneltest.Sizes):len(kerneltest.Sizes)], 4096) {
		x, y := kerneltest.Data(n, 1), kerneltest.Data(n, 2)
		got, _ := s.Sum(x)
		same("sum", n, []float64{got}, []float64{gokernels.Sum(x)})
		got, _ = s.Dot(x, y)
		same("dot", n, []float64{got}, []float64{gokernels.Dot(x, y)})
		out, want := make([]float64, n), make([]float64, n)
		_ = s.Axpy(math.Pi, x, y, out)
		gokernels.Axpy(math.Pi, x, y, want)
		same("axpy", n, out, want)
		if k := 7; n >= k {
			out, want = out[:n-k+1], want[:n-k+1]
			_, _ = s.FIR(x, y[:k], out)
			gokernels.FIR(x, y[:k], want)
			same("fir", n, out, want)
		}
	}
	for _, m := range []int{1, 3, 8, 17, 33} {
		a, b := kerneltest.Data(m*m, 3), kerneltest.Data(m*m, 4)
		c, want := make([]float64, m*m), make([]float64, m*m)
		_ = s.MatMul(a, b, c, m)
		gokernels.MatMul(a, b, want, m)
		same("matmul", m, c, want)
	}
}
