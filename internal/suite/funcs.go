package suite

import (
	"fmt"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/kernel"
)

// Description returns the kernel's description in package kernel, by
// which its Funcs (native.Builtin, a module's export) are bound.
func (k Kernel) Description() *kernel.Kernel {
	switch k {
	case Sum:
		return kernel.Sum
	case Dot:
		return kernel.Dot
	case Axpy:
		return kernel.Axpy
	case FIR:
		return kernel.FIR
	}
	return kernel.MatMul
}

// Slices returns the inputs as the buffers of the kernel's description,
// in declared order, and its scalars: the arguments of a call of a Func.
func (in *Inputs) Slices() ([]kernel.Slice, kernel.Args) {
	s := kernel.SliceOf[float64]
	switch in.Kernel {
	case Sum:
		return []kernel.Slice{s(in.X)}, kernel.Args{}
	case Dot:
		return []kernel.Slice{s(in.X), s(in.Y)}, kernel.Args{}
	case Axpy:
		return []kernel.Slice{s(in.X), s(in.Y), s(in.Out)}, kernel.Args{F: [kernel.MaxScalars]float64{in.A}}
	case FIR:
		return []kernel.Slice{s(in.X), s(in.Taps), s(in.Out[:in.N-len(in.Taps)+1])}, kernel.Args{}
	}
	return []kernel.Slice{s(in.X), s(in.Y), s(in.Out)}, kernel.Args{I: [kernel.MaxScalars]int64{int64(in.N)}}
}

// GoFunc returns the best pure-Go version of kernel k (the unrolled
// loops) in the form of a Func's Go counterpart: it runs on the slices
// Slices returns.
func GoFunc(k Kernel) func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	f := unsafeFloat64s
	var g gokernels.Unrolled
	return func(a *kernel.Args, b []kernel.Slice) kernel.Return {
		switch k {
		case Sum:
			s, _ := g.Sum(f(b[0]))
			return kernel.Return{F: s}
		case Dot:
			s, _ := g.Dot(f(b[0]), f(b[1]))
			return kernel.Return{F: s}
		case Axpy:
			_ = g.Axpy(a.F[0], f(b[0]), f(b[1]), f(b[2]))
		case FIR:
			n, _ := g.FIR(f(b[0]), f(b[1]), f(b[2]))
			return kernel.Return{N: int64(n)}
		case MatMul:
			_ = g.MatMul(f(b[0]), f(b[1]), f(b[2]), int(a.I[0]))
		}
		return kernel.Return{}
	}
}

// unsafeFloat64s returns s as the []float64 it is.
func unsafeFloat64s(s kernel.Slice) []float64 {
	return kernel.Elems[float64](s)
}

// Check checks what a Func's call on the buffers of Slices returned (r)
// and wrote (bufs) against the naive reference.
func (in *Inputs) Check(r kernel.Return, bufs []kernel.Slice) error {
	switch in.Kernel {
	case Sum, Dot:
		return check(in, []float64{r.F})
	case FIR:
		if want := in.N - len(in.Taps) + 1; r.N != int64(want) || want > bufs[2].Len() {
			return fmt.Errorf("fir returned %d outputs in %d, want %d", r.N, bufs[2].Len(), want)
		}
		return check(in, unsafeFloat64s(bufs[2])[:r.N])
	}
	return check(in, unsafeFloat64s(bufs[2]))
}
