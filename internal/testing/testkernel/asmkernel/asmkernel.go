// Package asmkernel is the test kernels (testkernel.Saxpy and
// testkernel.Clamp, the C of ../ckernel/saxpy.c and clamp.c) translated
// into Go assembly by zerocall gen, as a user's package would have them:
// saxpy_amd64.s, clamp_arm64.s and the others, with their Go declarations
// and saxpy_other.go and clamp_other.go, are generated (make asm) and
// need no cgo.
package asmkernel

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

//go:generate zerocall gen -camel -export -code -o saxpy -cflags "-std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -I../../../../native" ../ckernel/saxpy.c
//go:generate zerocall gen -camel -export -code -o clamp -cflags "-std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -I../../../../native" ../ckernel/clamp.c
//go:generate zerocall gen -camel -export -code -o overcount -cflags "-std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -I../../../../native" ../ckernel/overcount.c
//go:generate zerocall bind -o saxpy_bind.go -desc .. -asm ZcTestSaxpy -type SaxpyTyped Saxpy
//go:generate zerocall bind -o clamp_bind.go -desc .. -asm ZcTestClamp -type ClampTyped Clamp
//go:generate zerocall bind -o overcount_bind.go -desc .. -asm ZcTestOvercount -type overcountTyped Saxpy
//go:generate zerocall bind -o overcount_len_bind.go -desc .. -asm ZcTestOverlen -type overlenTyped Saxpy

// Func returns the translated kernel as an implementation of
// testkernel.Saxpy.
func Func() (*asm.Func, error) {
	return asm.NewFunc(testkernel.Saxpy, ZcTestSaxpyCode())
}

// Clamp returns the translated clamp-and-scale kernel in variant v
// (zerocall.Auto: the best this CPU runs) as an implementation of
// testkernel.Clamp.
func Clamp(v zerocall.Variant) (*asm.Func, error) {
	return asm.NewVariant(testkernel.Clamp, ZcTestClampVariants(), v)
}
