package main

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// Sizes are the matrix orders compared: the powers of two, their odd
// neighbours, and a size that is neither.
var Sizes = []int{16, 31, 32, 33, 64, 100, 128, 256, 512, 1024}

// ours are zerocall's rows in the comparison, named as in the main
// module's benchmarks: the caller's slices passed straight to the C of
// the variant the dispatcher chose, and the same C as Go assembly.
var ours = []string{"cgo-simd", "asm"}

// rows returns the comparison as the benchmark kit measures it: the
// built-in matmul's spec and options (sizes, names, checks), with
// zerocall's rows, OpenBLAS and gonum's Dgemm as o.Impls. Every row
// checks its first call at each size against the naive Go loop, within
// the bound the kernel documents for a reassociated sum, before it is
// timed. release releases what Builtin holds.
func rows() (s zctest.Spec, o zcbench.Options, release func(), err error) {
	s, o, release, err = zcbench.Builtin(kernel.MatMul)
	if err != nil {
		return s, o, release, err
	}
	o.Impls = slices.DeleteFunc(o.Impls, func(im zcbench.Impl) bool { return !slices.Contains(ours, im.Name) })
	if len(o.Impls) != len(ours) {
		release()
		return s, o, nil, fmt.Errorf("this build lacks some of the rows %v", ours)
	}
	o.Impls = append(o.Impls,
		zcbench.Impl{Name: "openblas", Label: "OpenBLAS", Notes: "cblas_dgemm, one thread", Prepare: prepare(openblasMatMul)},
		zcbench.Impl{Name: "gonum", Label: "gonum", Notes: "gonum's Dgemm, pure Go and its assembly", Go: true, Prepare: prepare(gonumMatMul)},
	)
	o.Sizes = Sizes
	return s, o, release, nil
}

// prepare makes a row's Prepare from a matmul on Go slices, on the data
// the main module's benchmarks use.
func prepare(matmul func(a, b, c []float64, m int)) func(m int) (func() error, func(), error) {
	return func(m int) (func() error, func(), error) {
		in := suite.NewInputs(suite.MatMul, m)
		call := func() error {
			matmul(in.X, in.Y, in.Out, m)
			return nil
		}
		_ = call()
		if err := kerneltest.CheckMatMul(in.X, in.Y, in.Out, m); err != nil {
			return nil, nil, fmt.Errorf("m=%d: %w", m, err)
		}
		return call, nil, nil
	}
}

// gonumMatMul sets c = a·b through gonum's Dgemm, which splits the work
// among GOMAXPROCS goroutines: the program sets that to one.
func gonumMatMul(a, b, c []float64, m int) {
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, m, m, m, 1, a, m, b, m, 0, c, m)
}
