package asm_test

import (
	"fmt"
	"os"

	"github.com/zerocall/zerocall/asm"
)

// Variants lists the translations this machine runs, the scalar
// reference first; Best is the one a Func of generated code runs unless
// ZEROCALL_VARIANT caps it.
func ExampleVariants() {
	vs := asm.Variants()
	if len(vs) == 0 {
		fmt.Println("scalar") // an architecture with no translation
		return
	}
	fmt.Println(vs[0])
	for _, v := range vs {
		if v > asm.Best() && os.Getenv("ZEROCALL_VARIANT") == "" {
			fmt.Println(v, "is past Best")
		}
	}
	// Output: scalar
}
