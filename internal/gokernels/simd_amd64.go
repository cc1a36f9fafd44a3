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
// with it. Only the vector sections do so: vzeroupper is an AVX
// instruction, which a CPU that gets the unrolled loops may lack.
//
// The loops are in simd_gen_amd64.go, which gen.go writes from one
// template per kernel, a section per vector width.

import (
	"simd/archsimd"

	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// SIMD runs the kernels of simd_gen_amd64.go: Go vectors, no foreign
// code.
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
