package zctest

import "unsafe"

// unsafePointer returns the address of b's first element, 8-byte aligned
// as any Go allocation of 8 or more bytes is.
func unsafePointer(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }
