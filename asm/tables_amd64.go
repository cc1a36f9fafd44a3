package asm

import (
	"golang.org/x/sys/cpu"

	"github.com/zerocall/zerocall"
)

// tables are the variants of this architecture, Scalar first; nil where
// the CPU (or the OS, which must save the wider registers) lacks the
// instructions. AVX2 needs FMA too, as native's dispatcher checks.
var tables = []*table{
	{zerocall.Scalar, scalarSum, scalarDot, scalarAxpy, scalarFir, scalarMatmulBlock},
	when(cpu.X86.HasAVX2 && cpu.X86.HasFMA,
		&table{zerocall.AVX2, avx2Sum, avx2Dot, avx2Axpy, avx2Fir, avx2MatmulBlock}),
	when(cpu.X86.HasAVX512F,
		&table{zerocall.AVX512, avx512Sum, avx512Dot, avx512Axpy, avx512Fir, avx512MatmulBlock}),
}
