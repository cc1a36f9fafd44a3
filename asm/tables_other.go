//go:build !amd64 && !arm64

package asm

import "github.com/zerocall/zerocall"

// tables is empty: the kernels are translated for amd64 and arm64 only.
var tables []*table

// matmulPart is never called: with no tables there are no kernels.
func matmulPart(zerocall.Variant, *part) { panic("asm: no kernels on this architecture") }
