//go:build !amd64 && !arm64

package asm

// tables is empty: the kernels are translated for amd64 and arm64 only.
var tables []*table
