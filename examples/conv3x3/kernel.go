package main

/*
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Werror -I${SRCDIR}/../../native
#include "zc_kernel.h"
extern const zc_variants conv3x3_variants;
*/
import "C"

import (
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/examples/conv3x3/conv3x3asm"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// Conv3x3 describes the C kernel in conv3x3.c: a 3×3 convolution of a
// w-wide float32 image, valid mode.
var Conv3x3 = &kernel.Kernel{
	Name: "conv3x3",
	Buffers: []kernel.Buffer{
		{Name: "img", Type: kernel.Float32, Role: kernel.In},
		{Name: "k", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	},
	Ints:    []string{"w"},
	Result:  kernel.Count,
	CountOf: 2,
	Check:   checkConv3x3,
}

// checkConv3x3 is Conv3x3's Check: a 3×3 kernel, an image of whole rows
// at least 2×2, room for every output. A function of its own rather than
// a literal, so that the typed calls below call it by name.
func checkConv3x3(a *kernel.Args) error {
	w := int(a.I[0])
	if w < 2 || a.Len[1] != 9 || a.Len[0]%w != 0 || a.Len[0]/w < 2 {
		return zerocall.ErrArgument
	}
	if a.Len[2] < (w-2)*(a.Len[0]/w-2) {
		return zerocall.ErrLength
	}
	return nil
}

// The typed calls of the kernel, with its checks written out for its
// three buffers and the chosen variant called directly (see kernel.go's
// Conv3x3): conv3x3Asm for the Go assembly, conv3x3C through cgo.
//
//go:generate zerocall bind -o conv3x3_asm_bind.go -asm github.com/zerocall/zerocall/examples/conv3x3/conv3x3asm.Conv3x3 -type conv3x3Asm Conv3x3
//go:generate zerocall bind -o conv3x3_c_bind.go -c conv3x3 -type conv3x3C Conv3x3

// asmFunc returns the same C translated into Go assembly (package
// conv3x3asm), for a call with no crossing, in variant v (zerocall.Auto:
// the best this CPU runs), or zerocall.ErrUnsupported on an architecture
// with no translation.
func asmFunc(v zerocall.Variant) (*asm.Func, error) {
	return asm.NewVariant(Conv3x3, conv3x3asm.Conv3x3Variants(), v)
}

// cFunc returns the C kernel, linked into this program by cgo, in variant
// v of those ZC_VARIANTS built: zerocall.Auto runs the best this CPU has.
func cFunc(v zerocall.Variant) (*native.Func, error) {
	return native.NewVariant(Conv3x3, unsafe.Pointer(&C.conv3x3_variants), v)
}

// conv3x3Go is the Go version: the same loops, each product and sum
// rounded to float32 as C does. It returns the outputs written.
func conv3x3Go(img, k, out []float32, w int) int {
	h := len(img) / w
	ow, oh := w-2, h-2
	for y := range oh {
		for x := range ow {
			var s float32
			for i := range 3 {
				row := img[(y+i)*w+x:]
				for j := range 3 {
					s += float32(k[i*3+j] * row[j])
				}
			}
			out[y*ow+x] = s
		}
	}
	return ow * oh
}
