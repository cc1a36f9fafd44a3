package zerocall_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
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
// float32 scale-and-add in C, internal/testkernel) on the paths a user's
// own kernel has: the native rows of userNative (impl=cgo, dlopen,
// straight) in a build with cgo; impl=wazero and impl=wazero-inplace, the
// same C built into a module of the zerocall module ABI, on an instance
// whose regions the caller copies through or fills in place, and
// impl=wazero-inplace-limit under a time limit; impl=go, its pure-Go
// reference.
func BenchmarkUserKernel(b *testing.B) {
	native := userNative(b)
	funcs := map[string]*wasm.Func{}
	for _, c := range []struct {
		name string
		cfg  zerocall.Config
	}{{"wazero", zerocall.Config{}}, {"wazero-limit", zerocall.Config{TimeLimit: time.Second}}} {
		lib, err := wasm.Load(testkernel.Module(), c.cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer lib.Close()
		if funcs[c.name], err = lib.Func(testkernel.Saxpy, testkernel.Export); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{1, 1000, 100000} {
		u := testkernel.NewCase(n)
		native(b, u)
		b.Run(fmt.Sprintf("n=%d/impl=go", n), func(b *testing.B) {
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				testkernel.Go(u.Alpha, u.X, u.Y, out)
			}
			if !slices.Equal(out, u.Want) {
				b.Fatal("wrong result")
			}
		})
		for _, row := range []struct {
			name    string
			f       *wasm.Func
			inPlace bool
		}{
			{"wazero", funcs["wazero"], false},
			{"wazero-inplace", funcs["wazero"], true},
			{"wazero-inplace-limit", funcs["wazero-limit"], true},
		} {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, row.name), func(b *testing.B) {
				h, err := row.f.Handle(zerocall.Module, n, n, n)
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close()
				testkernel.BenchHandle(b, h, u, row.inPlace)
			})
		}
	}
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
		call, done, err := measure.WasmNoop(zerocall.SIMD128)
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
	lib, err := wasm.Load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(kernel.Sum, kernel.Sum.Name)
	if err != nil {
		b.Fatal(err)
	}
	testkernel.BenchBatches(b, append(batchNative(b), testkernel.BatchRow{Name: "wasm", New: func(items, c int) (*kernel.Batch, error) {
		return f.Batch(zerocall.Module, items, c)
	}}))
}
