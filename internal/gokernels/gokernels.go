// Package gokernels is every zerocall kernel in plain Go: Naive,
// the plain loops that give the reference results, and Unrolled, the
// fastest plain Go. Both implement measure.Kernels with the same argument
// checks as every other backend, and they hold no resources.
package gokernels

import (
	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// Naive runs the in-order loops of naive.go.
type Naive struct{ sealed.Type }

// Unrolled runs the unrolled loops of unrolled.go.
type Unrolled struct{ sealed.Type }

var (
	_ measure.Kernels = Naive{}
	_ measure.Kernels = Unrolled{}
)

// Sum returns the sum of x.
func (Naive) Sum(x []float64) (float64, error) { return Sum(x), nil }

// Dot returns the inner product of x and y.
func (Naive) Dot(x, y []float64) (float64, error) {
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	return Dot(x, y), nil
}

// Axpy sets out = a·x + y.
func (Naive) Axpy(a float64, x, y, out []float64) error {
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	Axpy(a, x, y, out)
	return nil
}

// FIR filters x with taps into out.
func (Naive) FIR(x, taps, out []float64) (int, error) {
	if _, err := args.FIR(x, taps, out); err != nil {
		return 0, err
	}
	return FIR(x, taps, out), nil
}

// MatMul sets c = a·b.
func (Naive) MatMul(a, b, c []float64, m int) error {
	if _, err := args.MatMul(a, b, c, m); err != nil {
		return err
	}
	MatMul(a, b, c, m)
	return nil
}

// Close does nothing: Naive holds nothing.
func (Naive) Close() error { return nil }

// Sum returns the sum of x.
func (Unrolled) Sum(x []float64) (float64, error) { return SumUnrolled(x), nil }

// Dot returns the inner product of x and y.
func (Unrolled) Dot(x, y []float64) (float64, error) {
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	return DotUnrolled(x, y), nil
}

// Axpy sets out = a·x + y.
func (Unrolled) Axpy(a float64, x, y, out []float64) error {
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	AxpyUnrolled(a, x, y, out)
	return nil
}

// FIR filters x with taps into out.
func (Unrolled) FIR(x, taps, out []float64) (int, error) {
	if _, err := args.FIR(x, taps, out); err != nil {
		return 0, err
	}
	return FIRUnrolled(x, taps, out), nil
}

// MatMul sets c = a·b.
func (Unrolled) MatMul(a, b, c []float64, m int) error {
	if _, err := args.MatMul(a, b, c, m); err != nil {
		return err
	}
	MatMulUnrolled(a, b, c, m)
	return nil
}

// Close does nothing: Unrolled holds nothing.
func (Unrolled) Close() error { return nil }
