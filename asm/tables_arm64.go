package asm

import "github.com/zerocall/zerocall"

// tables are the variants of this architecture, Scalar first: Advanced
// SIMD is part of every AArch64 CPU.
var tables = []*table{
	{zerocall.Scalar, scalarSum, scalarDot, scalarAxpy, scalarFir, scalarMatmulBlock},
	{zerocall.NEON, neonSum, neonDot, neonAxpy, neonFir, neonMatmulBlock},
}
