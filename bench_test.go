package zerocall_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
)

// The benchmark names are a contract, parsed by tools:
// Benchmark<Kernel>/n=<N>/impl=<name>, with N the matrix order for MatMul.

// BenchmarkSum has, besides the rows of every implementation, the row
// impl=cgo-owned: the built-in sum through the generic machinery, an
// owned (lock-free) handle over pinned regions, called in place.
func BenchmarkSum(b *testing.B) {
	benchKernel(b, suite.Sum)
	f, err := native.Builtin(kernel.Sum, native.Auto)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range suite.Sizes(suite.Sum) {
		in := suite.NewInputs(suite.Sum, n)
		b.Run(fmt.Sprintf("n=%d/impl=cgo-owned", n), func(b *testing.B) {
			h, err := native.NewOwned(f, native.Pinned, suite.Capacity)
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			x, err := native.View[float64](h, 0)
			if err != nil {
				b.Fatal(err)
			}
			copy(x, in.X)
			a := kernel.Args{Len: [kernel.MaxBuffers]int{n}}
			benchOwned(b, h, &a, func(r kernel.Return) error { return kerneltest.CheckSum(in.X, r.F) })
		})
	}
}

// benchOwned times h.Call(a) in place, after checking one result.
func benchOwned(b *testing.B, h *native.Owned, a *kernel.Args, check func(kernel.Return) error) {
	r, err := h.Call(a)
	if err == nil {
		err = check(r)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Call(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUserKernel measures a kernel the project does not know (a
// float32 scale-and-add in C, internal/testkernel) on the paths a user's
// own kernel has: impl=cgo, its function pointer from cgo, called in place
// on an owned handle; impl=dlopen, the same C from a shared library
// loaded at run time, likewise; impl=straight, the caller's slices passed
// for one call; impl=go, its pure-Go reference.
func BenchmarkUserKernel(b *testing.B) {
	cgo, err := native.NewFunc(testkernel.Saxpy, testkernel.Pointer())
	if err != nil {
		b.Fatal(err)
	}
	path, err := testkernel.BuildShared(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	lib, err := native.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	dl, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
	if err != nil {
		b.Fatal(err)
	}
	const alpha = 1.5
	for _, n := range []int{1, 1000, 100000} {
		x, y := float32s(n, 1), float32s(n, 2)
		want := make([]float32, n)
		testkernel.Go(alpha, x, y, want)
		a := kernel.Args{Len: [kernel.MaxBuffers]int{n, n, n}, F: [kernel.MaxScalars]float64{alpha}}
		check := func(out []float32) func(kernel.Return) error {
			return func(r kernel.Return) error {
				if r.N != int64(n) || !slices.Equal(out, want) {
					return fmt.Errorf("saxpy n=%d: wrong result", n)
				}
				return nil
			}
		}
		for _, impl := range []struct {
			name string
			f    *native.Func
		}{{"cgo", cgo}, {"dlopen", dl}} {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) {
				h, err := native.NewOwned(impl.f, native.Pinned, n, n, n)
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close()
				hx, _ := native.View[float32](h, 0)
				hy, _ := native.View[float32](h, 1)
				out, _ := native.View[float32](h, 2)
				copy(hx, x)
				copy(hy, y)
				benchOwned(b, h, &a, check(out))
			})
		}
		b.Run(fmt.Sprintf("n=%d/impl=straight", n), func(b *testing.B) {
			out := make([]float32, n)
			sx, sy, so := kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)
			r, err := cgo.Straight(&a, sx, sy, so)
			if err == nil {
				err = check(out)(r)
			}
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cgo.Straight(&a, sx, sy, so); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("n=%d/impl=go", n), func(b *testing.B) {
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				testkernel.Go(alpha, x, y, out)
			}
			if !slices.Equal(out, want) {
				b.Fatal("wrong result")
			}
		})
	}
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
