package asm

import (
	"unsafe"

	"github.com/zerocall/zerocall"
)

// tables are the variants of this architecture, Scalar first: Advanced
// SIMD is part of every AArch64 CPU.
var tables = []*table{
	{zerocall.Scalar, scalarSum, scalarDot, scalarAxpy, scalarFir},
	{zerocall.NEON, neonSum, neonDot, neonAxpy, neonFir},
}

// matmulPart runs the part p of a product on variant v's code. The calls
// are direct, not through the table, so that p, which the caller keeps on
// its stack, does not escape to the heap.
func matmulPart(v zerocall.Variant, p *part) {
	if v == zerocall.NEON {
		neonMatmulPart(unsafe.Pointer(p))
		return
	}
	scalarMatmulPart(unsafe.Pointer(p))
}
