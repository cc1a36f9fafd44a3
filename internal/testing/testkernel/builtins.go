package testkernel

import (
	"fmt"
	"math"
	"testing"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// f64 returns s as a []float64.
func f64(s kernel.Slice) []float64 {
	return kernel.Elems[float64](s)
}

// order is the matrix order of a matmul test of size n.
func order(n int) int { return n % 41 }

// Builtins are the built-in kernels, in the order of their numbers in the
// C library (zc_builtin in native/zerocall.h).
var Builtins = []*kernel.Kernel{kernel.Sum, kernel.Dot, kernel.Axpy, kernel.FIR, kernel.MatMul}

// BuiltinSpecs are the test kit's descriptions of the built-in kernels,
// checked under the documented error bound by the shared table's checks.
var BuiltinSpecs = map[*kernel.Kernel]zctest.Spec{
	kernel.Sum: {
		Ref: func(_ *kernel.Args, b []kernel.Slice) kernel.Return {
			return kernel.Return{F: gokernels.Sum(f64(b[0]))}
		},
		Compare: func(_ *kernel.Args, in []kernel.Slice, got, _ zctest.Result) error {
			return kerneltest.CheckSum(f64(in[0]), got.Return.F)
		},
	},
	kernel.Dot: {
		Ref: func(_ *kernel.Args, b []kernel.Slice) kernel.Return {
			return kernel.Return{F: gokernels.Dot(f64(b[0]), f64(b[1]))}
		},
		Compare: func(_ *kernel.Args, in []kernel.Slice, got, _ zctest.Result) error {
			return kerneltest.CheckDot(f64(in[0]), f64(in[1]), got.Return.F)
		},
	},
	kernel.Axpy: {
		Args: func(int) kernel.Args { return kernel.Args{F: [kernel.MaxScalars]float64{-1.75}} },
		Ref: func(a *kernel.Args, b []kernel.Slice) kernel.Return {
			gokernels.Axpy(a.F[0], f64(b[0]), f64(b[1]), f64(b[2]))
			return kernel.Return{}
		},
		Compare: func(a *kernel.Args, in []kernel.Slice, got, _ zctest.Result) error {
			return kerneltest.CheckAxpy(a.F[0], f64(in[0]), f64(in[1]), f64(got.Bufs[2]))
		},
	},
	kernel.FIR: {
		Lens: func(n int) []int { return []int{n + 5, 5, n + 1} },
		Ref: func(_ *kernel.Args, b []kernel.Slice) kernel.Return {
			return kernel.Return{N: int64(gokernels.FIR(f64(b[0]), f64(b[1]), f64(b[2])))}
		},
		Compare: func(_ *kernel.Args, in []kernel.Slice, got, want zctest.Result) error {
			if got.Return.N != want.Return.N {
				return fmt.Errorf("returned %d, want %d", got.Return.N, want.Return.N)
			}
			return kerneltest.CheckFIR(f64(in[0]), f64(in[1]), f64(got.Bufs[2]))
		},
	},
	kernel.MatMul: {
		Lens: func(n int) []int { m := order(n); return []int{m * m, m * m, m * m} },
		Args: func(n int) kernel.Args { return kernel.Args{I: [kernel.MaxScalars]int64{int64(order(n))}} },
		Ref: func(a *kernel.Args, b []kernel.Slice) kernel.Return {
			gokernels.MatMul(f64(b[0]), f64(b[1]), f64(b[2]), int(a.I[0]))
			return kernel.Return{}
		},
		Compare: func(a *kernel.Args, in []kernel.Slice, got, _ zctest.Result) error {
			return kerneltest.CheckMatMul(f64(in[0]), f64(in[1]), f64(got.Bufs[2]), int(a.I[0]))
		},
	},
}

// CheckExact checks that the built-ins of k give the bits of the naive Go
// kernels: sum, dot, axpy and a 7-tap fir at each of sizes, and matmul at
// each of orders. Sums and dots are checked up to whole elements only, as
// a longer one may be split, which changes the order of its additions.
func CheckExact(t *testing.T, k measure.Kernels, sizes []int, whole int, orders []int) {
	t.Helper()
	same := func(what string, n int, got, want []float64) {
		t.Helper()
		if err := kerneltest.SameBits(got, want); err != nil {
			t.Errorf("%s, n=%d: %v", what, n, err)
		}
	}
	for _, n := range sizes {
		x, y := kerneltest.Data(n, 1), kerneltest.Data(n, 2)
		if n <= whole {
			got, _ := k.Sum(x)
			same("sum", n, []float64{got}, []float64{gokernels.Sum(x)})
			got, _ = k.Dot(x, y)
			same("dot", n, []float64{got}, []float64{gokernels.Dot(x, y)})
		}
		out, want := make([]float64, n), make([]float64, n)
		_ = k.Axpy(math.Pi, x, y, out)
		gokernels.Axpy(math.Pi, x, y, want)
		same("axpy", n, out, want)
		if taps := 7; n >= taps {
			out, want = out[:n-taps+1], want[:n-taps+1]
			_, _ = k.FIR(x, y[:taps], out)
			gokernels.FIR(x, y[:taps], want)
			same("fir", n, out, want)
		}
	}
	for _, m := range orders {
		a, b := kerneltest.Data(m*m, 3), kerneltest.Data(m*m, 4)
		c, want := make([]float64, m*m), make([]float64, m*m)
		_ = k.MatMul(a, b, c, m)
		gokernels.MatMul(a, b, want, m)
		same("matmul", m, c, want)
	}
}
