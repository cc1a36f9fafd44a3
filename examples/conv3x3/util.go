package main

import (
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// f32 returns a Slice of float32 as a []float32.
func f32(s kernel.Slice) []float32 {
	return unsafe.Slice((*float32)(s.Pointer()), s.Len())
}
