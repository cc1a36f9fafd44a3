package zerocall

import "github.com/zerocall/zerocall/internal/hostapi"

// Variant names one build of kernel code for a class of CPU: the same C
// compiled with the instructions that class has. Every host takes the same
// values: native and asm run Scalar, AVX2, AVX512 or NEON, chosen at run
// time; wasm and wasmtime run the module built for Scalar or SIMD128.
// Its values are the C library's zc_variant numbers (zerocall.h).
type Variant int

const (
	// Auto is the best variant this machine runs, capped by the
	// ZEROCALL_VARIANT environment variable (scalar, avx2, avx512 or
	// neon) when it names one; for wasm, SIMD128. The built-ins read the
	// variable once, at their first use, and a table of variants of
	// yours (native.NewVariant, asm.NewVariant) at each choice from it:
	// set it before the program starts for one choice everywhere.
	Auto Variant = iota
	// Scalar is the portable C, the reference.
	Scalar
	// AVX2 uses 256-bit AVX2 and FMA instructions (amd64).
	AVX2
	// AVX512 uses 512-bit AVX-512F instructions (amd64).
	AVX512
	// SIMD128 uses WebAssembly's 128-bit SIMD (wasm modules).
	SIMD128
	// NEON uses 128-bit Advanced SIMD with fused multiply-add (arm64,
	// where every CPU has it).
	NEON
)

// String returns the variant's name as the C library and
// ZEROCALL_VARIANT spell it.
func (v Variant) String() string {
	switch v {
	case Auto:
		return "auto"
	case Scalar:
		return "scalar"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	case SIMD128:
		return "simd128"
	case NEON:
		return "neon"
	}
	return "unknown"
}

// VariantOf returns the variant a Func runs: for a Func of package native
// or asm chosen from a table of variants (their NewVariant), the one
// chosen; Auto for any other Func (one build, or a wasm Func, whose
// module is the variant) and for anything else.
func VariantOf(f any) Variant {
	for _, of := range hostapi.VariantOf {
		if v, ok := of(f); ok {
			return Variant(v)
		}
	}
	return Auto
}
