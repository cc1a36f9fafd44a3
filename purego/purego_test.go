package purego_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/purego"
)

func TestNaive(t *testing.T) {
	kerneltest.Run(t, kerneltest.Target{New: func() (zerocall.Kernels, error) { return purego.Naive{}, nil }, Stateless: true})
}

func TestUnrolled(t *testing.T) {
	kerneltest.Run(t, kerneltest.Target{New: func() (zerocall.Kernels, error) { return purego.Unrolled{}, nil }, Stateless: true})
}
