package native

// #include "zc_go.h"
import "C"

import (
	"unsafe"

	"github.com/zerocall/zerocall"
)

// Variant names an implementation of the C kernels.
type Variant int

const (
	// Auto is the variant the C dispatcher chooses: the best this CPU
	// supports, capped by the ZEROCALL_VARIANT environment variable
	// (scalar, avx2 or avx512) when it is set.
	Auto Variant = iota
	// Scalar is the portable C reference.
	Scalar
	// AVX2 uses 256-bit AVX2 and FMA instructions (x86-64).
	AVX2
	// AVX512 uses 512-bit AVX-512F instructions (x86-64).
	AVX512
)

// String returns the variant's name as the C library spells it.
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
	}
	return "unknown"
}

// Variants returns the variants this machine can run, Scalar first.
func Variants() []Variant {
	var vs []Variant
	for v := Scalar; v <= AVX512; v++ {
		if C.zc_kernels_for(C.int(v-1)) != nil {
			vs = append(vs, v)
		}
	}
	return vs
}

// Best returns the variant Auto resolves to on this machine.
func Best() Variant {
	return Variant(C.zc_kernels_best().variant) + 1
}

// kernels returns the address of the C table of v's kernels, as the
// integer the trampolines of zc_go.h take.
func kernels(v Variant) (C.uintptr_t, error) {
	k := C.zc_kernels_best()
	if v != Auto {
		if v < Scalar || v > AVX512 {
			return 0, zerocall.ErrUnsupported
		}
		if k = C.zc_kernels_for(C.int(v - 1)); k == nil {
			return 0, zerocall.ErrUnsupported
		}
	}
	return C.uintptr_t(uintptr(unsafe.Pointer(k))), nil
}
