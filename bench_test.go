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
// float32 scale-and-add in C, internal/testkernel) on the paths a user's
// own kernel has: the native rows of userNative (impl=cgo, dlopen,
// straight) in a build with cgo; impl=wazero and impl=wazero-inplace, the
// same C built into a module of the zerocall module ABI, on an instance
// whose regions the caller copies through or fills in place; impl=go, its
// pure-Go reference.
func BenchmarkUserKernel(b *testing.B) {
	native := userNative(b)
	lib, err := wasm.Load(testkernel.Module(), wasm.LoadConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer lib.Close()
	wf, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 1000, 100000} {
		u := newUserCase(n)
		native(b, u)
		b.Run(fmt.Sprintf("n=%d/impl=go", n), func(b *testing.B) {
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				testkernel.Go(u.alpha, u.x, u.y, out)
			}
			if !slices.Equal(out, u.want) {
				b.Fatal("wrong result")
			}
		})
		for _, inPlace := range []bool{false, true} {
			name := "wazero"
			if inPlace {
				name += "-inplace"
			}
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, name), func(b *testing.B) {
				h, err := wasm.NewOwned(wf, n, n, n)
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close()
				if inPlace {
					hx, _ := wasm.View[float32](h, 0)
					hy, _ := wasm.View[float32](h, 1)
					out, _ := wasm.View[float32](h, 2)
					copy(hx, u.x)
					copy(hy, u.y)
					benchOwned(b, h, &u.a, u.check(out))
					return
				}
				benchCopy(b, h, u)
			})
		}
	}
}

// userCase is the data of BenchmarkUserKernel at one size.
type userCase struct {
	n          int
	alpha      float32
	x, y, want []float32
	a          kernel.Args
}

func newUserCase(n int) *userCase {
	u := &userCase{n: n, alpha: 1.5, x: float32s(n, 1), y: float32s(n, 2), want: make([]float32, n)}
	testkernel.Go(u.alpha, u.x, u.y, u.want)
	u.a = kernel.Args{Len: [kernel.MaxBuffers]int{n, n, n}, F: [kernel.MaxScalars]float64{float64(u.alpha)}}
	return u
}

// check returns a check of a call that wrote out.
func (u *userCase) check(out []float32) func(kernel.Return) error {
	return func(r kernel.Return) error {
		if r.N != int64(u.n) || !slices.Equal(out[:u.n], u.want) {
			return fmt.Errorf("saxpy n=%d: wrong result", u.n)
		}
		return nil
	}
}

// benchOwned times h.Call(a) in place, after checking one result.
func benchOwned(b *testing.B, h interface {
	Call(*kernel.Args) (kernel.Return, error)
}, a *kernel.Args, check func(kernel.Return) error) {
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

// benchCopy times h.Copy of the case's slices, after checking one result.
func benchCopy(b *testing.B, h interface {
	Copy(*kernel.Args, ...kernel.Slice) (kernel.Return, error)
}, u *userCase) {
	out := make([]float32, u.n)
	bufs := []kernel.Slice{kernel.SliceOf(u.x), kernel.SliceOf(u.y), kernel.SliceOf(out)}
	r, err := h.Copy(&u.a, bufs...)
	if err == nil {
		err = u.check(out)(r)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Copy(&u.a, bufs...); err != nil {
			b.Fatal(err)
		}
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
