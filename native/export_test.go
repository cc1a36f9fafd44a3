//go:build cgo

package native

// BuiltinCount returns how many built-in kernels the C library has, for
// the tests of package native_test.
func BuiltinCount() int { return nBuiltins }
