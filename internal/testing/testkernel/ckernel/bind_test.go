package ckernel_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// TestTyped checks the typed calls through cgo that zerocall bind wrote
// (saxpy_bind.go, clamp_bind.go) against the Funcs they run, in every
// variant this machine runs, and that a changed description is refused.
func TestTyped(t *testing.T) {
	for _, v := range native.Variants() {
		s, err := ckernel.NewSaxpyTyped(v)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("saxpy-"+v.String(), func(t *testing.T) {
			if got := zerocall.VariantOf(s.Func()); got != v {
				t.Errorf("VariantOf = %v, want %v", got, v)
			}
			testkernel.CheckTyped(t, s.Func(), s.Call)
		})
		c, err := ckernel.NewClampTyped(v)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("clamp-"+v.String(), func(t *testing.T) {
			zctest.Run(t, testkernel.ClampSpec(testkernel.TypedClamp(c.Func(), c.Call)))
		})
	}
	k := testkernel.Saxpy
	defer func(r kernel.Result) { k.Result = r }(k.Result)
	k.Result = kernel.None
	if _, err := ckernel.NewSaxpyTyped(zerocall.Auto); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("a changed description: err = %v, want kernel.ErrKernel", err)
	}
}
