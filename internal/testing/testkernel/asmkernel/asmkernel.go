// Package asmkernel is the test kernel (testkernel.Saxpy, the C of
// ../ckernel/saxpy.c) translated into Go assembly by zerocall gen, as a
// user's package would have it: saxpy_amd64.s and saxpy_arm64.s, with
// their Go declarations and saxpy_other.go, are generated (make asm) and
// need no cgo.
package asmkernel

import (
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

//go:generate zerocall gen -camel -export -code -o saxpy -cflags "-std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -I../../../../native" ../ckernel/saxpy.c

// Func returns the translated kernel as an implementation of
// testkernel.Saxpy.
func Func() (*asm.Func, error) {
	return asm.NewFunc(testkernel.Saxpy, ZcTestSaxpyCode())
}
