package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
)

// The benchmarks follow the main module's naming contract,
// Benchmark<Kernel>/n=<N>/impl=<name>, with the naive Go loop beside the
// wasmtime rows so that ratios come from one run.

// impls are the rows measured here.
func impls() []suite.Impl {
	module := func(m zerocall.Variant) func() (measure.Kernels, error) {
		return func() (measure.Kernels, error) {
			return wasm.New(zerocall.Config{Capacity: suite.Capacity, Taps: suite.Taps, Variant: m, Engine: wasmtime.Engine})
		}
	}
	return []suite.Impl{
		{Name: "go", New: func() (measure.Kernels, error) { return gokernels.Naive{}, nil }},
		{Name: "wasmtime-simd", New: module(zerocall.SIMD128)},
		{Name: "wasmtime", New: module(zerocall.Scalar)},
		{Name: "wasmtime-inplace", InPlace: true, New: module(zerocall.SIMD128)},
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
	testkernel.BenchNoop(b, "wasmtime-bare", func(v zerocall.Variant) (func() error, func() error, error) {
		return measure.WasmNoopOn(wasmtime.Engine, v)
	})
}

// BenchmarkInit measures what an instance costs once: a store, the
// instance, the reservations and the views, with regions of the default capacity.
func BenchmarkInit(b *testing.B) {
	b.Run("impl=wasmtime-simd-instantiate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in, err := wasm.New(zerocall.Config{Engine: wasmtime.Engine})
			if err != nil {
				b.Fatal(err)
			}
			in.Close()
		}
	})
}

// BenchmarkUserKernel measures the test kernel (a float32 scale-and-add
// in C, internal/testing/testkernel) built into a module of the zerocall module
// ABI, on Wasmtime: impl=wasmtime copies the caller's slices through the
// regions, impl=wasmtime-inplace fills them in place, and
// impl=wasmtime-inplace-limit does so under a time limit (epoch
// interruption); impl=go is the pure-Go reference, for ratios within one
// run. The main module has the native and wazero rows of the same kernel.
func BenchmarkUserKernel(b *testing.B) { testkernel.BenchUserKernel(b, "wasmtime", load, nil) }

// BenchmarkBatch is the main module's BenchmarkBatch on Wasmtime:
// impl=wasmtime queues, runs and reads 1000 sums per crossing, one op per
// call; impl=wasmtime-rerun runs the same queued calls again.
func BenchmarkBatch(b *testing.B) {
	bin, export := testkernel.ModuleOf(kernel.Sum)
	f := testkernel.LoadFunc(b, load, bin, zerocall.Config{}, kernel.Sum, export)
	testkernel.BenchBatches(b, []testkernel.BatchRow{testkernel.BatchRowOf("wasmtime", f, zerocall.Module)})
}
