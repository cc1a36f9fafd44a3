//go:build cgo

package zctest_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

func init() {
	toCatch = append(toCatch,
		caught{"typed-nil-native", zctest.Spec{Func: (*native.Func)(nil), Ref: testkernel.Ref},
			[]string{"zctest: Spec.Func is a nil *native.Func"}},
		caught{"also-typed-nil-native", zctest.Spec{Func: saxpy(), Ref: testkernel.Ref, Also: []zctest.Func{saxpy(), (*native.Func)(nil)}},
			[]string{"zctest: Spec.Also[1] is a nil *native.Func"}})
}

// saxpy is the test kernel's C, or nil if it cannot be made.
func saxpy() *native.Func {
	f, _ := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	return f
}

// TestRunSmallCapacity runs the kit on the test kernel's C with regions
// of fewer elements than the sizes of its checks (4 for types, 17 and 37
// for special values, 100 for allocations): it makes each on the largest
// calls that fit, rather than fail a correct kernel.
func TestRunSmallCapacity(t *testing.T) {
	for _, c := range []int{1, 4, 16, 64, 99} {
		s := testkernel.Spec(saxpy())
		s.Capacity = c
		zctest.Run(t, s)
	}
}
