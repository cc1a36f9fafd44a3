//go:build goexperiment.simd && amd64

package gokernels_test

import (
	"fmt"
	"testing"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// TestSIMD runs the simd/archsimd kernels, built under GOEXPERIMENT=simd,
// through the shared table at every vector width this CPU has: the one
// it chose, then narrower down to none.
func TestSIMD(t *testing.T) {
	for _, w := range []int{8, 4, 0} {
		if w > gokernels.SIMDWidth() {
			continue
		}
		t.Run(fmt.Sprintf("width=%d", w), func(t *testing.T) {
			defer gokernels.SetSIMDWidth(w)()
			kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return gokernels.SIMD{}, nil }, Stateless: true})
		})
	}
}
