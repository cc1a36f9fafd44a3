package zerocall_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
)

// The benchmark names are a contract, parsed by tools:
// Benchmark<Kernel>/n=<N>/impl=<name>, with N the matrix order for MatMul.

func BenchmarkSum(b *testing.B)    { benchKernel(b, suite.Sum) }
func BenchmarkDot(b *testing.B)    { benchKernel(b, suite.Dot) }
func BenchmarkAxpy(b *testing.B)   { benchKernel(b, suite.Axpy) }
func BenchmarkFIR(b *testing.B)    { benchKernel(b, suite.FIR) }
func BenchmarkMatMul(b *testing.B) { benchKernel(b, suite.MatMul) }

func benchKernel(b *testing.B, kernel suite.Kernel) { suite.Benchmark(b, kernel, suite.Impls()) }

// BenchmarkCall measures the floor of a call across each boundary: an
// empty foreign function.
func BenchmarkCall(b *testing.B) {
	b.Run("impl=cgo-bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			native.Noop()
		}
	})
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
		{"cgo-prealloc", func() (*zerocall.Instance, error) { return native.NewPinned(native.Config{}) }},
		{"cgo-cowned", func() (*zerocall.Instance, error) { return native.NewCOwned(native.Config{}) }},
		{"wasm-simd", func() (*zerocall.Instance, error) { return wasm.New(wasm.Config{}) }},
		{"wasm", func() (*zerocall.Instance, error) { return wasm.New(wasm.Config{Module: wasm.Scalar}) }},
	} {
		b.Run("impl="+c.name, func(b *testing.B) {
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
