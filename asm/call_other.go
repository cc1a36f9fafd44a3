//go:build !amd64 && !arm64

package asm

const haveCall = false

func callFrame(code uintptr, f *frame) int64 { panic("unreachable: NewFunc refuses") }
