//go:build cgo

package native_test

import (
	"sync/atomic"
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// expectedLeaks counts the instances tests drop on purpose to exercise the
// backstop.
var expectedLeaks atomic.Int64

func unsafePointer(p *float64) unsafe.Pointer { return unsafe.Pointer(p) }

// f32 returns s as a []float32.
func f32(s kernel.Slice) []float32 {
	return unsafe.Slice((*float32)(s.Pointer()), s.Len())
}
