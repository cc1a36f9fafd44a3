//go:build cgo

package native

import "github.com/zerocall/zerocall"

// BuiltinCount returns how many built-in kernels the C library has, for
// the tests of package native_test.
func BuiltinCount() int { return nBuiltins }

// VariantOf returns the variant NewVariant chose for f (Auto for a Func
// made otherwise).
func VariantOf(f *Func) zerocall.Variant { return f.variant }
