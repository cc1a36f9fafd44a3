package zcbench

import (
	"unsafe"

	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// fill returns n elements of type t with values from seed, the same for
// the same n and seed: floats in [-2, 2), and integers and bytes spread
// over their range as zctest fills them.
func fill(t kernel.Type, n int, seed uint64) kernel.Slice {
	rng := seed*0x9e3779b97f4a7c15 + 1
	s := alloc(t, n)
	for i := range n {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		v := float64(rng>>11)/(1<<53)*4 - 2
		p := unsafe.Add(s.Pointer(), i*t.Size())
		switch t {
		case kernel.Float64:
			*(*float64)(p) = v
		case kernel.Float32:
			*(*float32)(p) = float32(v)
		case kernel.Int64:
			*(*int64)(p) = int64(v * 1e6)
		case kernel.Int32:
			*(*int32)(p) = int32(v * 1e4)
		default:
			*(*uint8)(p) = uint8(int(v*64) & 0xff)
		}
	}
	return s
}

// alloc returns n zeroed elements of type t.
func alloc(t kernel.Type, n int) kernel.Slice {
	switch t {
	case kernel.Float64:
		return kernel.SliceOf(make([]float64, n))
	case kernel.Float32:
		return kernel.SliceOf(make([]float32, n))
	case kernel.Int64:
		return kernel.SliceOf(make([]int64, n))
	case kernel.Int32:
		return kernel.SliceOf(make([]int32, n))
	}
	return kernel.SliceOf(make([]uint8, n))
}

// clone returns copies of the slices, in memory of their own.
func clone(in []kernel.Slice) []kernel.Slice {
	out := make([]kernel.Slice, len(in))
	for i, s := range in {
		out[i] = alloc(s.Type(), s.Len())
		copy(funcs.Bytes(out[i]), funcs.Bytes(s))
	}
	return out
}
