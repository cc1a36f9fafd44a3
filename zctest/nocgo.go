//go:build !cgo

package zctest

// nativePaths is empty without cgo: a native.Func cannot exist.
func nativePaths(Func, []int) []Path { return nil }
