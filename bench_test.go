package zerocall_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
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

// BenchmarkUserKernel measures a kernel the project does not know (a
// float32 scale-and-add in C, internal/testing/testkernel) on the paths a user's
// own kernel has: the native rows of userNative (impl=cgo, dlopen,
// straight, cgo-typed) in a build with cgo; the same C translated into Go
// assembly and called on the caller's slices, impl=asm through the typed
// call zerocall bind writes for it (asmkernel.SaxpyTyped, the form a
// kernel called often on few elements takes, as the built-in Sum is
// typed) and impl=asm-generic through asm.Func's Call, which reads the
// description at run time; impl=wazero and impl=wazero-inplace, the
// same C built into a module of the zerocall module ABI, on an instance
// whose regions the caller copies through or fills in place, and
// impl=wazero-inplace-limit under a time limit; impl=go, its pure-Go
// reference.
func BenchmarkUserKernel(b *testing.B) {
	native := userNative(b)
	translated, err := asmkernel.Func()
	typed, _ := asmkernel.NewSaxpyTyped(zerocall.Auto) // nil where there is no translation
	testkernel.BenchUserKernel(b, "wazero", wasm.Load, func(b *testing.B, u *testkernel.Case) {
		if native != nil {
			native(b, u)
		}
		if err == nil {
			testkernel.BenchStraight(b, "asm-generic", func(a *kernel.Args, x, y, out kernel.Slice) (kernel.Return, error) {
				return translated.Call(a, x, y, out)
			}, u)
		}
		if typed != nil {
			testkernel.BenchTyped(b, "asm", typed, u)
		}
	})
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
	testkernel.BenchNoop(b, "wazero-bare", measure.WasmNoop)
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
		{"wasm-simd", func() (*zerocall.Instance, error) { return wasm.New(zerocall.Config{}) }},
		{"wasm", func() (*zerocall.Instance, error) { return wasm.New(zerocall.Config{Variant: zerocall.Scalar}) }},
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

// BenchmarkBatch measures the built-in sum of n elements (1, 8, 64)
// called through a batch of 1000 calls run in one crossing; one op is one
// call, queueing, crossing and result included (testkernel.BenchBatch),
// to set beside BenchmarkSum's rows of one crossing per call: impl=cgo
// (in a build with cgo, batchNative), impl=wasm on wazero; the wasmtime
// module has impl=wasmtime. The rows impl=<name>-rerun run the same
// queued calls again on the region's data (Rerun), without an Add per
// call.
func BenchmarkBatch(b *testing.B) {
	bin, export := testkernel.ModuleOf(kernel.Sum)
	f := testkernel.LoadFunc(b, wasm.Load, bin, zerocall.Config{}, kernel.Sum, export)
	testkernel.BenchBatches(b, append(batchNative(b), testkernel.BatchRowOf("wasm", f, zerocall.Module)))
}
