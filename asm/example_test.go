package asm_test

import (
	"fmt"
	"slices"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
)

// Variants lists the translations this machine runs, the one
// zerocall.Auto runs first; the scalar reference is always among them on
// an architecture with a translation.
func ExampleVariants() {
	vs := asm.Variants()
	fmt.Println(len(vs) == 0 || slices.Contains(vs, zerocall.Scalar))
	// Output: true
}
