package asm_test

import (
	"errors"
	"fmt"
	"log"
	"slices"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
)

// Variants lists the translations this machine runs, the one
// zerocall.Auto runs first; the scalar reference is always among them on
// an architecture with a translation.
func ExampleVariants() {
	vs := asm.Variants()
	fmt.Println(len(vs) == 0 || slices.Contains(vs, zerocall.Scalar))
	// Output: true
}

// A kernel of your own built by ZC_VARIANTS of zc_kernel.h and translated
// by zerocall gen -code, here the test kernel (out = a·x + y on float32):
// asm.NewVariant takes the generated ZcTestSaxpyVariants() and runs the
// best variant this CPU has.
func ExampleNewVariant() {
	f, err := asm.NewVariant(testkernel.Saxpy, asmkernel.ZcTestSaxpyVariants(), zerocall.Auto)
	if errors.Is(err, zerocall.ErrUnsupported) {
		fmt.Println([]float32{12, 24, 36}) // no translation on this architecture
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	out := make([]float32, 3)
	a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
	if _, err := f.Call(&a, kernel.SliceOf([]float32{1, 2, 3}), kernel.SliceOf([]float32{10, 20, 30}), kernel.SliceOf(out)); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)
	// Output: [12 24 36]
}
