package native

// #include "zc_go.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
)

// zerocall.Variant's values are the C library's zc_variant numbers; these
// fail to compile if the two drift apart.
const (
	_ = uint(zerocall.Auto-C.ZC_VARIANT_AUTO) + uint(C.ZC_VARIANT_AUTO-zerocall.Auto)
	_ = uint(zerocall.Scalar-C.ZC_VARIANT_SCALAR) + uint(C.ZC_VARIANT_SCALAR-zerocall.Scalar)
	_ = uint(zerocall.AVX2-C.ZC_VARIANT_AVX2) + uint(C.ZC_VARIANT_AVX2-zerocall.AVX2)
	_ = uint(zerocall.AVX512-C.ZC_VARIANT_AVX512) + uint(C.ZC_VARIANT_AVX512-zerocall.AVX512)
	_ = uint(zerocall.SIMD128-C.ZC_VARIANT_SIMD128) + uint(C.ZC_VARIANT_SIMD128-zerocall.SIMD128)
	_ = uint(zerocall.NEON-C.ZC_VARIANT_NEON) + uint(C.ZC_VARIANT_NEON-zerocall.NEON)
)

// variantSlots is the number of entries of a zc_variants table, whose
// entry v is variant v's function.
const variantSlots = C.ZC_VARIANT_SLOTS

// Variants returns the variants of the C kernels this machine can run:
// first the one zerocall.Auto runs (the best the CPU and OS support,
// capped by ZEROCALL_VARIANT), then the others from Scalar up.
func Variants() []zerocall.Variant {
	best := zerocall.Variant(C.zc_kernels_best().variant)
	vs := []zerocall.Variant{best}
	for v := zerocall.Scalar; v < C.ZC_VARIANT_COUNT; v++ {
		if v != best && C.zc_kernels_for(C.int(v)) != nil {
			vs = append(vs, v)
		}
	}
	return vs
}

// kernels returns the address of the C table of v's kernels, as the
// integer the trampolines of zc_go.h take.
func kernels(v zerocall.Variant) (C.uintptr_t, error) {
	var k *C.zc_kernels
	if v >= zerocall.Auto && v < C.ZC_VARIANT_COUNT {
		k = C.zc_kernels_for(C.int(v))
	}
	if k == nil {
		return 0, fmt.Errorf("%w: no built-in kernels in variant %v that this machine runs", zerocall.ErrUnsupported, v)
	}
	return C.uintptr_t(uintptr(unsafe.Pointer(k))), nil
}

// cName returns the C library's name of v, which zerocall.Variant's
// String must match (TestVariantNames).
func cName(v zerocall.Variant) string { return C.GoString(C.zc_variant_name(C.int(v))) }
