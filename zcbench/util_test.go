package zcbench_test

import (
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// unsafeF32 returns s as a []float32.
func unsafeF32(s kernel.Slice) []float32 {
	return unsafe.Slice((*float32)(s.Pointer()), s.Len())
}
