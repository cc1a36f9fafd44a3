package main

import (
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// bytesOf returns a Slice of uint8 as a []byte.
func bytesOf(s kernel.Slice) []byte { return s.Bytes() }

// int64s returns a Slice of int64 as an []int64.
func int64s(s kernel.Slice) []int64 {
	return unsafe.Slice((*int64)(s.Pointer()), s.Len())
}
