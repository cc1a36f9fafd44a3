package zerocall_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/wasm"
)

// The benchmark names are a contract, parsed by tools:
// Benchmark<Kernel>/n=<N>/impl=<name>, with N the matrix order for MatMul.

// BenchmarkSum has, besides the rows of every implementation, the row
// impl=cgo-owned in a build with cgo (benchSumOwned).
func BenchmarkSum(b *testing.B) {
	benchKernel(b, suite.Sum)
	benchSumOwned(b)
}

// float32s returns n values in [-2, 2) from seed.
func float32s(n int, seed uint64) []float32 {
	out := make([]float32, n)
	for i, v := range kerneltest.Data(n, seed) {
		out[i] = float32(v)
	}
	return out
}
func BenchmarkDot(b *testing.B)    { benchKernel(b, suite.Dot) }
func BenchmarkAxpy(b *testing.B)   { benchKernel(b, suite.Axpy) }
func BenchmarkFIR(b *testing.B)    { benchKernel(b, suite.FIR) }
func BenchmarkMatMul(b *testing.B) { benchKernel(b, suite.MatMul) }

func benchKernel(b *testing.B, kernel suite.Kernel) { suite.Benchmark(b, kernel, suite.Impls()) }

// BenchmarkCall measures the floor of a call across each boundary: an
// empty foreign function.
func BenchmarkCall(b *testing.B) {
	benchCallCgo(b)
	b.Run("impl=wazero-bare", func(b *testing.B) {
		call, done, err := wasm.Noop(wasm.SIMD)
		if err != nil {
			b.Fatal(err)
		}
		defer done()
		b.ReportAllocs()
		for b.Loop() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInit measures what the patterns pay once, at construction, so
// that no call has to: an instance with buffers of the default capacity,
// created and closed.
func BenchmarkInit(b *testing.B) {
	for _, c := range []struct {
		name string
		new  func() (*zerocall.Instance, error)
	}{
		{"cgo-prealloc", newPinned(0, 0)},
		{"cgo-cowned", newCOwned(0, 0)},
		{"wasm-simd", func() (*zerocall.Instance, error) { return wasm.New(wasm.Config{}) }},
		{"wasm", func() (*zerocall.Instance, error) { return wasm.New(wasm.Config{Module: wasm.Scalar}) }},
	} {
		b.Run("impl="+c.name, func(b *testing.B) {
			skipNoCgo(b, c.name)
			b.ReportAllocs()
			for b.Loop() {
				in, err := c.new()
				if err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
		})
	}
}
