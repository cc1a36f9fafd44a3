//go:build cgo

package native_test

import (
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall/gokernels"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// f64 returns s as a []float64.
func f64(s kernel.Slice) []float64 {
	return unsafe.Slice((*float64)(s.Pointer()), s.Len())
}

// order is the matrix order of a matmul test of size n.
func order(n int) int { return n % 41 }

// builtinSpecs are the test kit's descriptions of the built-in kernels,
// checked under the documented error bound by the shared table's checks.
var builtinSpecs = map[*kernel.Kernel]zctest.Spec{
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
				return errCount(got.Return.N, want.Return.N)
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

// TestBuiltinFuncs runs the built-in kernels of every variant through the
// test kit, as any user kernel: the generic paths prove themselves on the
// kernels the shared table knows best.
func TestBuiltinFuncs(t *testing.T) {
	for _, v := range variants(t) {
		for _, k := range kernel.Builtins {
			t.Run(v.String()+"/"+k.Name, func(t *testing.T) {
				f, err := native.Builtin(k, v)
				if err != nil {
					t.Fatal(err)
				}
				s := builtinSpecs[k]
				s.Func = f
				zctest.Run(t, s)
			})
		}
	}
}

// TestBuiltinOrder ties the C library's numbering of its built-in
// kernels (zc_builtin) to kernel.Builtins: the frame function of each
// number must compute that kernel.
func TestBuiltinOrder(t *testing.T) {
	if n := native.BuiltinCount(); n != len(kernel.Builtins) {
		t.Fatalf("the C library has %d built-in kernels, package kernel %d", n, len(kernel.Builtins))
	}
	x := []float64{1, 2, 3}
	for _, k := range kernel.Builtins {
		f, err := native.Builtin(k, native.Scalar)
		if err != nil {
			t.Fatal(err)
		}
		if f.Kernel() != k {
			t.Errorf("Builtin(%s) implements %s", k.Name, f.Kernel().Name)
		}
	}
	sum, _ := native.Builtin(kernel.Sum, native.Scalar)
	if r, err := sum.Straight(&kernel.Args{}, kernel.SliceOf(x)); err != nil || r.F != 6 {
		t.Errorf("the frame function numbered sum: %v, %v", r, err)
	}
	if _, err := native.Builtin(&kernel.Kernel{Name: "not-built-in"}, native.Scalar); err == nil {
		t.Error("Builtin of a kernel that is not one: no error")
	}
}
