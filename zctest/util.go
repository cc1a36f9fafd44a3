package zctest

import (
	"encoding/binary"
	"unsafe"
)

func le64(b []byte) uint64 { return binary.NativeEndian.Uint64(b) }
func le32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }

// unsafePointer returns the address of b's first element, 8-byte aligned
// as any Go allocation of 8 or more bytes is.
func unsafePointer(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }
