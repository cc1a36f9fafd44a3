//go:build !cgo

package zcbench

import (
	"errors"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// cVariant says that a build without cgo runs no C natively.
func cVariant() string { return "none (no cgo)" }

// nativeBuiltin fails: a build without cgo has no native path.
func nativeBuiltin(*kernel.Kernel) (zctest.Func, error) {
	return nil, errors.New("zcbench: this build has no cgo, and so no native path")
}
