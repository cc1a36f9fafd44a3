package gokernels_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

func TestNaive(t *testing.T) {
	kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return gokernels.Naive{}, nil }, Stateless: true})
}

func TestUnrolled(t *testing.T) {
	kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return gokernels.Unrolled{}, nil }, Stateless: true})
}
