// Package kerneltest is the one table of test cases that every zerocall
// backend and path runs: every kernel on sizes that reach each SIMD
// remainder, on misaligned sub-slices, on NaN, Inf and subnormal inputs,
// over and under capacity, with every error case, and with an allocation
// count of zero on every call.
package kerneltest

import "math"

// u is the unit roundoff of float64.
const u = 0x1p-53

// tiny is the smallest subnormal float64: the absolute error an underflow
// may add to one product.
const tiny = 0x1p-1074

// ReductionBound is the documented bound on how far a reassociated sum of
// n terms whose magnitudes add up to abs may lie from the in-order sum.
func ReductionBound(n int, abs float64) float64 {
	return 2*float64(n)*u*abs + 2*float64(n)*tiny
}

// AxpyBound is the documented bound on one axpy output.
func AxpyBound(a, x, y float64) float64 {
	return 4*u*(math.Abs(a*x)+math.Abs(y)) + 2*tiny
}

// Agree reports whether got matches the reference want within bound:
// NaN only matches NaN, an infinity only the same infinity.
func Agree(got, want, bound float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	}
	return math.Abs(got-want) <= bound
}

// Data returns n deterministic values in [-1, 1) scaled by powers of two
// from 2^-20 to 2^20, so that sums cancel and their rounding is exercised.
func Data(n int, seed uint64) []float64 {
	s := seed*0x9e3779b97f4a7c15 + 1
	x := make([]float64, n)
	for i := range x {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		v := float64(s>>11)*0x1p-52 - 1
		x[i] = math.Ldexp(v, int(s%41)-20)
	}
	return x
}
