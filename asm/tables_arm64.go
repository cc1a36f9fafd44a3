package asm

// tables are the variants of this architecture, Scalar first: Advanced
// SIMD is part of every AArch64 CPU.
var tables = []*table{
	{Scalar, scalarSum, scalarDot, scalarAxpy, scalarFir, scalarMatmulBlock},
	{NEON, neonSum, neonDot, neonAxpy, neonFir, neonMatmulBlock},
}
