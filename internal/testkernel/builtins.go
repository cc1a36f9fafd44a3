package testkernel

import (
	"fmt"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/kerneltest"
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
