package zctest

import (
	"math"

	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// fill returns n elements of type t, starting off elements into a fresh
// allocation, with values from seed; with special, floats include NaN,
// ±Inf and subnormals at fixed places.
func fill(t kernel.Type, n, off int, seed uint64, special bool) kernel.Slice {
	rng := seed*0x9e3779b97f4a7c15 + 1
	next := func() float64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return float64(rng>>11)/(1<<53)*4 - 2 // in [-2, 2)
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = next()
	}
	if special && funcs.Float(t) && n > 0 {
		inf := math.Inf(1)
		for i, v := range []float64{math.NaN(), inf, -inf, math.SmallestNonzeroFloat64 * 3, 1e-40} {
			if j := (i*11 + 3) % n; i == 0 || j != 0 {
				vals[j] = v
			}
		}
	}
	switch t {
	case kernel.Float64:
		s := make([]float64, n+off)[off:]
		copy(s, vals)
		return kernel.SliceOf(s)
	case kernel.Float32:
		s := make([]float32, n+off)[off:]
		for i, v := range vals {
			s[i] = float32(v)
		}
		return kernel.SliceOf(s)
	case kernel.Int64:
		s := make([]int64, n+off)[off:]
		for i, v := range vals {
			s[i] = int64(v * 1e6)
		}
		return kernel.SliceOf(s)
	case kernel.Int32:
		s := make([]int32, n+off)[off:]
		for i, v := range vals {
			s[i] = int32(v * 1e4)
		}
		return kernel.SliceOf(s)
	default:
		s := make([]uint8, n+off)[off:]
		for i, v := range vals {
			s[i] = uint8(int(v*64) & 0xff)
		}
		return kernel.SliceOf(s)
	}
}

// clone returns copies of the slices, each in fresh memory at the same
// offset from a cache line as the original, so that a misaligned input
// stays misaligned.
func clone(in []kernel.Slice) []kernel.Slice {
	out := make([]kernel.Slice, len(in))
	for i, s := range in {
		b := make([]byte, len(funcs.Bytes(s))+128)
		off := (int(uintptr(s.Pointer())%64) - int(uintptr(unsafePointer(b))%64) + 64) % 64
		b = b[off:]
		copy(b, funcs.Bytes(s))
		out[i] = funcs.SliceAt(unsafePointer(b), s.Len(), s.Type())
	}
	return out
}
