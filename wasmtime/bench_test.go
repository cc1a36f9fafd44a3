package wasmtime

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/gokernels"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/wasm"
)

// The benchmarks follow the main module's naming contract,
// Benchmark<Kernel>/n=<N>/impl=<name>, with the naive Go loop beside the
// wasmtime rows so that ratios come from one run.

// impls are the rows measured here.
func impls() []suite.Impl {
	module := func(m wasm.Module) func() (zerocall.Kernels, error) {
		return func() (zerocall.Kernels, error) {
			return New(wasm.Config{Capacity: suite.Capacity, Taps: suite.Taps, Module: m})
		}
	}
	return []suite.Impl{
		{Name: "go", New: func() (zerocall.Kernels, error) { return gokernels.Naive{}, nil }},
		{Name: "wasmtime-simd", New: module(wasm.SIMD)},
		{Name: "wasmtime", New: module(wasm.Scalar)},
		{Name: "wasmtime-inplace", InPlace: true, New: module(wasm.SIMD)},
	}
}

func BenchmarkSum(b *testing.B)    { benchKernel(b, suite.Sum) }
func BenchmarkDot(b *testing.B)    { benchKernel(b, suite.Dot) }
func BenchmarkAxpy(b *testing.B)   { benchKernel(b, suite.Axpy) }
func BenchmarkFIR(b *testing.B)    { benchKernel(b, suite.FIR) }
func BenchmarkMatMul(b *testing.B) { benchKernel(b, suite.MatMul) }

func benchKernel(b *testing.B, kernel suite.Kernel) { suite.Benchmark(b, kernel, impls()) }

// BenchmarkCall measures the floor of a call into wasm on Wasmtime: an
// empty export, through the shim.
func BenchmarkCall(b *testing.B) {
	b.Run("impl=wasmtime-bare", func(b *testing.B) {
		call, done, err := Noop(wasm.SIMD)
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

// BenchmarkInit measures what an instance costs once: a store, the
// instance, zc_init and the views, with regions of the default capacity.
func BenchmarkInit(b *testing.B) {
	b.Run("impl=wasmtime-simd-instantiate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in, err := New(wasm.Config{})
			if err != nil {
				b.Fatal(err)
			}
			in.Close()
		}
	})
}
