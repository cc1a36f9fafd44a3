//go:build cgo

package native_test

import (
	"math"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// TestScalarExact checks the claim of the ABI header and the package
// documentation: the scalar C kernels and the naive Go ones give the same
// bits. It depends on the C being compiled without contracting a·b + c
// into a fused multiply-add, whatever the compiler: make test runs it
// under gcc and under clang (CC=clang).
func TestScalarExact(t *testing.T) {
	s, err := measure.Straight(zerocall.Scalar)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sizes := append(kerneltest.Sizes[:len(kerneltest.Sizes):len(kerneltest.Sizes)], 4096)
	testkernel.CheckExact(t, s, sizes, math.MaxInt, []int{1, 3, 8, 17, 33})
}
