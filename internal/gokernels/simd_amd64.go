//go:build goexperiment.simd

package gokernels

// This file is the pure-Go rival of the C kernels: Go 1.26's
// simd/archsimd, which exists only under GOEXPERIMENT=simd and only on
// amd64, so default builds never see it. It uses 512-bit vectors where
// the CPU has AVX-512, 256-bit ones with FMA where it has AVX2, and the
// unrolled loops elsewhere. Like the unrolled loops, it reassociates
// within the bound documented by package zerocall.
//
// Every vector section ends in archsimd.ClearAVXUpperBits (vzeroupper)
// before any scalar code runs: Go's scalar float code is SSE, and SSE
// after AVX with the upper halves of the registers dirty costs a state
// transition. Measured here, a sum of 8 took 170 ns without it and 4 ns
// with it.

import (
	"simd/archsimd"

	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// SIMD runs the kernels of this file: Go vectors, no foreign code.
type SIMD struct{ sealed.Type }

var _ measure.Kernels = SIMD{}

// SIMDWidth returns the number of float64 in the vectors SIMD uses on
// this CPU: 8 with AVX-512, 4 with AVX2 and FMA, and 0 where it falls
// back to the unrolled loops.
func SIMDWidth() int { return simdWidth }

// simdWidth is SIMDWidth, chosen once; the tests lower it to run every
// width.
var simdWidth = func() int {
	switch {
	case archsimd.X86.AVX512():
		return 8
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		return 4
	}
	return 0
}()

// Sum returns the sum of x.
func (SIMD) Sum(x []float64) (float64, error) { return SumSIMD(x), nil }

// Dot returns the inner product of x and y.
func (SIMD) Dot(x, y []float64) (float64, error) {
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	return DotSIMD(x, y), nil
}

// Axpy sets out = a·x + y.
func (SIMD) Axpy(a float64, x, y, out []float64) error {
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	AxpySIMD(a, x, y, out)
	return nil
}

// FIR filters x with taps into out.
func (SIMD) FIR(x, taps, out []float64) (int, error) {
	if _, err := args.FIR(x, taps, out); err != nil {
		return 0, err
	}
	return FIRSIMD(x, taps, out), nil
}

// MatMul sets c = a·b.
func (SIMD) MatMul(a, b, c []float64, m int) error {
	if _, err := args.MatMul(a, b, c, m); err != nil {
		return err
	}
	MatMulSIMD(a, b, c, m)
	return nil
}

// Close does nothing: SIMD holds nothing.
func (SIMD) Close() error { return nil }

// SumSIMD returns the sum of x with four vector accumulators.
func SumSIMD(x []float64) float64 {
	switch simdWidth {
	case 8:
		var a0, a1, a2, a3 archsimd.Float64x8
		for len(x) >= 32 {
			a0 = a0.Add(archsimd.LoadFloat64x8Slice(x))
			a1 = a1.Add(archsimd.LoadFloat64x8Slice(x[8:]))
			a2 = a2.Add(archsimd.LoadFloat64x8Slice(x[16:]))
			a3 = a3.Add(archsimd.LoadFloat64x8Slice(x[24:]))
			x = x[32:]
		}
		for len(x) >= 8 {
			a0 = a0.Add(archsimd.LoadFloat64x8Slice(x))
			x = x[8:]
		}
		return reduce8(a0.Add(a1).Add(a2.Add(a3))) + SumUnrolled(x)
	case 4:
		var a0, a1, a2, a3 archsimd.Float64x4
		for len(x) >= 16 {
			a0 = a0.Add(archsimd.LoadFloat64x4Slice(x))
			a1 = a1.Add(archsimd.LoadFloat64x4Slice(x[4:]))
			a2 = a2.Add(archsimd.LoadFloat64x4Slice(x[8:]))
			a3 = a3.Add(archsimd.LoadFloat64x4Slice(x[12:]))
			x = x[16:]
		}
		for len(x) >= 4 {
			a0 = a0.Add(archsimd.LoadFloat64x4Slice(x))
			x = x[4:]
		}
		return reduce4(a0.Add(a1).Add(a2.Add(a3))) + SumUnrolled(x)
	}
	return SumUnrolled(x)
}

// DotSIMD returns the inner product of x and y[:len(x)] with four vector
// accumulators of fused multiply-adds.
func DotSIMD(x, y []float64) float64 {
	y = y[:len(x)]
	switch simdWidth {
	case 8:
		var a0, a1, a2, a3 archsimd.Float64x8
		for len(x) >= 32 {
			a0 = archsimd.LoadFloat64x8Slice(x).MulAdd(archsimd.LoadFloat64x8Slice(y), a0)
			a1 = archsimd.LoadFloat64x8Slice(x[8:]).MulAdd(archsimd.LoadFloat64x8Slice(y[8:]), a1)
			a2 = archsimd.LoadFloat64x8Slice(x[16:]).MulAdd(archsimd.LoadFloat64x8Slice(y[16:]), a2)
			a3 = archsimd.LoadFloat64x8Slice(x[24:]).MulAdd(archsimd.LoadFloat64x8Slice(y[24:]), a3)
			x, y = x[32:], y[32:]
		}
		for len(x) >= 8 {
			a0 = archsimd.LoadFloat64x8Slice(x).MulAdd(archsimd.LoadFloat64x8Slice(y), a0)
			x, y = x[8:], y[8:]
		}
		return reduce8(a0.Add(a1).Add(a2.Add(a3))) + DotUnrolled(x, y)
	case 4:
		var a0, a1, a2, a3 archsimd.Float64x4
		for len(x) >= 16 {
			a0 = archsimd.LoadFloat64x4Slice(x).MulAdd(archsimd.LoadFloat64x4Slice(y), a0)
			a1 = archsimd.LoadFloat64x4Slice(x[4:]).MulAdd(archsimd.LoadFloat64x4Slice(y[4:]), a1)
			a2 = archsimd.LoadFloat64x4Slice(x[8:]).MulAdd(archsimd.LoadFloat64x4Slice(y[8:]), a2)
			a3 = archsimd.LoadFloat64x4Slice(x[12:]).MulAdd(archsimd.LoadFloat64x4Slice(y[12:]), a3)
			x, y = x[16:], y[16:]
		}
		for len(x) >= 4 {
			a0 = archsimd.LoadFloat64x4Slice(x).MulAdd(archsimd.LoadFloat64x4Slice(y), a0)
			x, y = x[4:], y[4:]
		}
		return reduce4(a0.Add(a1).Add(a2.Add(a3))) + DotUnrolled(x, y)
	}
	return DotUnrolled(x, y)
}

// AxpySIMD sets out[i] = a·x[i] + y[i] for i < len(x), a product and a
// sum each rounded, as the reference does.
func AxpySIMD(a float64, x, y, out []float64) {
	y, out = y[:len(x)], out[:len(x)]
	switch simdWidth {
	case 8:
		av := archsimd.BroadcastFloat64x8(a)
		for len(x) >= 8 {
			av.Mul(archsimd.LoadFloat64x8Slice(x)).Add(archsimd.LoadFloat64x8Slice(y)).StoreSlice(out)
			x, y, out = x[8:], y[8:], out[8:]
		}
	case 4:
		av := archsimd.BroadcastFloat64x4(a)
		for len(x) >= 4 {
			av.Mul(archsimd.LoadFloat64x4Slice(x)).Add(archsimd.LoadFloat64x4Slice(y)).StoreSlice(out)
			x, y, out = x[4:], y[4:], out[4:]
		}
	}
	archsimd.ClearAVXUpperBits()
	AxpyUnrolled(a, x, y, out)
}

// FIRSIMD computes the valid-mode filter four vectors of outputs at a
// time: each tap, broadcast, multiplies the windows it meets and adds
// into the outputs' vectors, fused. Four independent accumulators keep
// the fused multiply-adds from waiting on each other.
func FIRSIMD(x, taps, out []float64) int {
	k, nout := len(taps), firOutputs(len(x), len(taps))
	if nout == 0 {
		return 0
	}
	out = out[:nout]
	i := 0
	switch simdWidth {
	case 8:
		for ; i+32 <= nout; i += 32 {
			w := x[i : i+k+31]
			var a0, a1, a2, a3 archsimd.Float64x8
			for j, t := range taps {
				s, v := archsimd.BroadcastFloat64x8(t), w[j:j+32]
				a0 = s.MulAdd(archsimd.LoadFloat64x8Slice(v), a0)
				a1 = s.MulAdd(archsimd.LoadFloat64x8Slice(v[8:]), a1)
				a2 = s.MulAdd(archsimd.LoadFloat64x8Slice(v[16:]), a2)
				a3 = s.MulAdd(archsimd.LoadFloat64x8Slice(v[24:]), a3)
			}
			o := out[i : i+32]
			a0.StoreSlice(o)
			a1.StoreSlice(o[8:])
			a2.StoreSlice(o[16:])
			a3.StoreSlice(o[24:])
		}
		for ; i+8 <= nout; i += 8 {
			w := x[i : i+k+7]
			var acc archsimd.Float64x8
			for j, t := range taps {
				acc = archsimd.BroadcastFloat64x8(t).MulAdd(archsimd.LoadFloat64x8Slice(w[j:]), acc)
			}
			acc.StoreSlice(out[i:])
		}
	case 4:
		for ; i+16 <= nout; i += 16 {
			w := x[i : i+k+15]
			var a0, a1, a2, a3 archsimd.Float64x4
			for j, t := range taps {
				s, v := archsimd.BroadcastFloat64x4(t), w[j:j+16]
				a0 = s.MulAdd(archsimd.LoadFloat64x4Slice(v), a0)
				a1 = s.MulAdd(archsimd.LoadFloat64x4Slice(v[4:]), a1)
				a2 = s.MulAdd(archsimd.LoadFloat64x4Slice(v[8:]), a2)
				a3 = s.MulAdd(archsimd.LoadFloat64x4Slice(v[12:]), a3)
			}
			o := out[i : i+16]
			a0.StoreSlice(o)
			a1.StoreSlice(o[4:])
			a2.StoreSlice(o[8:])
			a3.StoreSlice(o[12:])
		}
		for ; i+4 <= nout; i += 4 {
			w := x[i : i+k+3]
			var acc archsimd.Float64x4
			for j, t := range taps {
				acc = archsimd.BroadcastFloat64x4(t).MulAdd(archsimd.LoadFloat64x4Slice(w[j:]), acc)
			}
			acc.StoreSlice(out[i:])
		}
	}
	archsimd.ClearAVXUpperBits()
	if i < nout {
		FIRUnrolled(x[i:], taps, out[i:])
	}
	return nout
}

// MatMulSIMD computes c = a·b a block of row i of c at a time: four
// vectors of c[i][j:] stay in registers while p runs over row i of a,
// c[i][j:j+4w] += a[i][p] · b[p][j:j+4w], fused, then are stored once.
// Each element still sums over p in order.
func MatMulSIMD(a, b, c []float64, m int) {
	w := simdWidth
	if w == 0 {
		MatMulUnrolled(a, b, c, m)
		return
	}
	b = b[:m*m]
	for i := 0; i < m; i++ {
		ai, ci := a[i*m:i*m+m], c[i*m:i*m+m]
		j := 0
		if w == 8 {
			for ; j+32 <= m; j += 32 {
				var c0, c1, c2, c3 archsimd.Float64x8
				for p, av := range ai {
					s, bp := archsimd.BroadcastFloat64x8(av), b[p*m+j:p*m+j+32]
					c0 = s.MulAdd(archsimd.LoadFloat64x8Slice(bp), c0)
					c1 = s.MulAdd(archsimd.LoadFloat64x8Slice(bp[8:]), c1)
					c2 = s.MulAdd(archsimd.LoadFloat64x8Slice(bp[16:]), c2)
					c3 = s.MulAdd(archsimd.LoadFloat64x8Slice(bp[24:]), c3)
				}
				c0.StoreSlice(ci[j:])
				c1.StoreSlice(ci[j+8:])
				c2.StoreSlice(ci[j+16:])
				c3.StoreSlice(ci[j+24:])
			}
			for ; j+8 <= m; j += 8 {
				var c0 archsimd.Float64x8
				for p, av := range ai {
					c0 = archsimd.BroadcastFloat64x8(av).MulAdd(archsimd.LoadFloat64x8Slice(b[p*m+j:]), c0)
				}
				c0.StoreSlice(ci[j:])
			}
		} else {
			for ; j+16 <= m; j += 16 {
				var c0, c1, c2, c3 archsimd.Float64x4
				for p, av := range ai {
					s, bp := archsimd.BroadcastFloat64x4(av), b[p*m+j:p*m+j+16]
					c0 = s.MulAdd(archsimd.LoadFloat64x4Slice(bp), c0)
					c1 = s.MulAdd(archsimd.LoadFloat64x4Slice(bp[4:]), c1)
					c2 = s.MulAdd(archsimd.LoadFloat64x4Slice(bp[8:]), c2)
					c3 = s.MulAdd(archsimd.LoadFloat64x4Slice(bp[12:]), c3)
				}
				c0.StoreSlice(ci[j:])
				c1.StoreSlice(ci[j+4:])
				c2.StoreSlice(ci[j+8:])
				c3.StoreSlice(ci[j+12:])
			}
			for ; j+4 <= m; j += 4 {
				var c0 archsimd.Float64x4
				for p, av := range ai {
					c0 = archsimd.BroadcastFloat64x4(av).MulAdd(archsimd.LoadFloat64x4Slice(b[p*m+j:]), c0)
				}
				c0.StoreSlice(ci[j:])
			}
		}
		archsimd.ClearAVXUpperBits()
		// The last columns, fewer than a vector: one sum each, in order.
		for ; j < m; j++ {
			var sum float64
			for p, av := range ai {
				sum += av * b[p*m+j]
			}
			ci[j] = sum
		}
	}
}

// reduce8 adds the lanes of v pairwise.
func reduce8(v archsimd.Float64x8) float64 {
	var s [8]float64
	v.Store(&s)
	archsimd.ClearAVXUpperBits()
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

// reduce4 adds the lanes of v pairwise.
func reduce4(v archsimd.Float64x4) float64 {
	var s [4]float64
	v.Store(&s)
	archsimd.ClearAVXUpperBits()
	return (s[0] + s[1]) + (s[2] + s[3])
}
