package native

// #include "zc_go.h"
import "C"

import (
	"unsafe"

	"github.com/zerocall/zerocall"
)

// Variant names an implementation of the C kernels. Its values are the C
// library's zc_variant numbers, and its names come from the C library's
// one table of them.
type Variant int

const (
	// Auto is the variant the C dispatcher chooses: the best this CPU
	// supports, capped by the ZEROCALL_VARIANT environment variable
	// (scalar, avx2, avx512 or neon) when it is set.
	Auto Variant = C.ZC_VARIANT_AUTO
	// Scalar is the portable C reference.
	Scalar Variant = C.ZC_VARIANT_SCALAR
	// AVX2 uses 256-bit AVX2 and FMA instructions (x86-64).
	AVX2 Variant = C.ZC_VARIANT_AVX2
	// AVX512 uses 512-bit AVX-512F instructions (x86-64).
	AVX512 Variant = C.ZC_VARIANT_AVX512
	// NEON uses 128-bit Advanced SIMD instructions with fused
	// multiply-add (AArch64, where every CPU has them).
	NEON Variant = C.ZC_VARIANT_NEON
)

// String returns the variant's name as the C library spells it.
func (v Variant) String() string {
	return C.GoString(C.zc_variant_name(C.int(v)))
}

// Variants returns the variants this machine can run, Scalar first.
func Variants() []Variant {
	var vs []Variant
	for v := Scalar; v < C.ZC_VARIANT_COUNT; v++ {
		if C.zc_kernels_for(C.int(v)) != nil {
			vs = append(vs, v)
		}
	}
	return vs
}

// Best returns the variant Auto resolves to on this machine.
func Best() Variant {
	return Variant(C.zc_kernels_best().variant)
}

// kernels returns the address of the C table of v's kernels, as the
// integer the trampolines of zc_go.h take.
func kernels(v Variant) (C.uintptr_t, error) {
	if v < Auto || v >= C.ZC_VARIANT_COUNT {
		return 0, zerocall.ErrUnsupported
	}
	k := C.zc_kernels_for(C.int(v))
	if k == nil {
		return 0, zerocall.ErrUnsupported
	}
	return C.uintptr_t(uintptr(unsafe.Pointer(k))), nil
}
