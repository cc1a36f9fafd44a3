//go:build cgo

package ckernel_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
)

// TestTyped checks the typed calls through cgo that zerocall bind wrote
// (saxpy_bind.go, clamp_bind.go) against the Funcs they run, in every
// variant this machine runs.
func TestTyped(t *testing.T) {
	testkernel.TestBindings(t, native.Variants(),
		testkernel.SaxpyBind[*native.Func](ckernel.NewSaxpyTyped), testkernel.ClampBind[*native.Func](ckernel.NewClampTyped))
}
