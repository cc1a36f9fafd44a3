//go:build amd64 || arm64

package asm

// haveCall reports whether callFrame exists here.
const haveCall = true

// callFrame calls the C function at code with the frame f and returns
// what it returns. The frame does not escape: the C code keeps no
// pointer after it returns.
//
//go:noescape
func callFrame(code uintptr, f *frame) int64
