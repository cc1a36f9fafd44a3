package zerocall_test

import (
	"fmt"
	"testing"

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/native"
)

// The benchmark names are a contract, parsed by tools:
// Benchmark<Kernel>/n=<N>/impl=<name>, with N the matrix order for MatMul.

func BenchmarkSum(b *testing.B)    { benchKernel(b, suite.Sum) }
func BenchmarkDot(b *testing.B)    { benchKernel(b, suite.Dot) }
func BenchmarkAxpy(b *testing.B)   { benchKernel(b, suite.Axpy) }
func BenchmarkFIR(b *testing.B)    { benchKernel(b, suite.FIR) }
func BenchmarkMatMul(b *testing.B) { benchKernel(b, suite.MatMul) }

func benchKernel(b *testing.B, kernel suite.Kernel) {
	impls := suite.Impls()
	for _, n := range suite.Sizes(kernel) {
		in := suite.NewInputs(kernel, n)
		for _, impl := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.Name), func(b *testing.B) {
				k, err := impl.New()
				if err != nil {
					b.Fatal(err)
				}
				defer k.Close()
				call, err := suite.Prepare(impl, k, in)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCall measures the floor of a call across each boundary: an
// empty foreign function.
func BenchmarkCall(b *testing.B) {
	b.Run("impl=cgo-bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			native.Noop()
		}
	})
}
