//go:build !cgo

package zcbench

import (
	"errors"

	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// cVariant is the variant the built-ins' Go assembly runs (a build
// without cgo runs no C natively), or none where there is no translation.
func cVariant() string {
	if vs := asm.Variants(); len(vs) > 0 {
		return vs[0].String() + " (Go assembly; no cgo)"
	}
	return "none (no cgo)"
}

// nativeBuiltin fails: a build without cgo has no native path.
func nativeBuiltin(*kernel.Kernel) (zctest.Func, error) {
	return nil, errors.New("zcbench: this build has no cgo, and so no native path")
}
