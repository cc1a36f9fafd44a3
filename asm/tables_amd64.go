package asm

import (
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/zerocall/zerocall"
)

// tables are the variants of this architecture, Scalar first; nil where
// the CPU (or the OS, which must save the wider registers) lacks the
// instructions. AVX2 needs FMA too, as native's dispatcher checks.
var tables = []*table{
	{zerocall.Scalar, scalarSum, scalarDot, scalarAxpy, scalarFir},
	when(cpu.X86.HasAVX2 && cpu.X86.HasFMA,
		&table{zerocall.AVX2, avx2Sum, avx2Dot, avx2Axpy, avx2Fir}),
	// The AVX-512 code holds AVX2 and FMA instructions too, as C's
	// variant does: a CPU (or a virtual one) may report AVX-512F alone.
	when(cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA,
		&table{zerocall.AVX512, avx512Sum, avx512Dot, avx512Axpy, avx512Fir}),
}

// when returns t if ok, else nil.
func when(ok bool, t *table) *table {
	if ok {
		return t
	}
	return nil
}

// matmulPart runs the part p of a product on variant v's code. The calls
// are direct, not through the table, so that p, which the caller keeps on
// its stack, does not escape to the heap.
func matmulPart(v zerocall.Variant, p *part) {
	switch v {
	case zerocall.AVX512:
		avx512MatmulPart(unsafe.Pointer(p))
	case zerocall.AVX2:
		avx2MatmulPart(unsafe.Pointer(p))
	default:
		scalarMatmulPart(unsafe.Pointer(p))
	}
}
