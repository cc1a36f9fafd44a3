//go:build cgo

package native_test

import (
	"sync/atomic"
	"unsafe"
)

// expectedLeaks counts the instances tests drop on purpose to exercise the
// backstop.
var expectedLeaks atomic.Int64

func unsafePointer(p *float64) unsafe.Pointer { return unsafe.Pointer(p) }
