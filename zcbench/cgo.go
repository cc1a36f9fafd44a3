//go:build cgo

package zcbench

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// cVariant names the C variant the dispatcher chose for the built-ins.
func cVariant() string { return native.Variants()[0].String() }

// nativeBuiltin returns built-in kernel k through cgo, in that variant.
func nativeBuiltin(k *kernel.Kernel) (zctest.Func, error) { return native.Builtin(k, zerocall.Auto) }
