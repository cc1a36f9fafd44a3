package testkernel

import (
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// Clamp describes ckernel/clamp.c: out[i] = min(max(x[i], lo), hi)·s on
// float32, the plain C loop whose CPU variants BenchmarkVariants times.
var Clamp = &kernel.Kernel{
	Name: "test-clamp",
	Buffers: []kernel.Buffer{
		{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	},
	Floats:  []string{"lo", "hi", "s"},
	Result:  kernel.Count,
	CountOf: 1,
	Check: func(a *kernel.Args) error {
		if a.Len[1] < a.Len[0] {
			return errs.Length
		}
		return nil
	},
}

// ClampGo is Clamp's pure-Go version: the same comparisons, so that a NaN
// stays NaN, and one float32 product.
func ClampGo(lo, hi, s float32, x, out []float32) int {
	out = out[:len(x)]
	for i, v := range x {
		if v < lo {
			v = lo
		}
		if v > hi {
			v = hi
		}
		out[i] = v * s
	}
	return len(x)
}

// ClampRef is ClampGo on a call's scalars (lo, hi, s) and slices, as the
// kits and the planner take a Go version.
func ClampRef(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, out := f32(bufs[0]), f32(bufs[1])
	return kernel.Return{N: int64(ClampGo(float32(a.F[0]), float32(a.F[1]), float32(a.F[2]), x, out))}
}

// ClampArgs are the scalars of the tests and benchmarks: lo, hi and s.
var ClampArgs = kernel.Args{F: [kernel.MaxScalars]float64{-1, 1.25, 3}}

// ClampSpec is the test kit's description of Clamp run by f: every
// variant must agree with ClampGo bit for bit.
func ClampSpec(f zctest.Func) zctest.Spec {
	return zctest.Spec{
		Func:     f,
		Ref:      ClampRef,
		Args:     func(int) kernel.Args { return ClampArgs },
		Capacity: 2048,
	}
}
