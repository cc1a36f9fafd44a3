package zerocall_test

import (
	"fmt"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
)

// A parallelImpl is one of the seed's thread-safety options: setup makes
// what the goroutines share, and each goroutine's caller (made inside
// RunParallel, before its loop) makes one call of the kernel on inputs
// of its own.
type parallelImpl struct {
	name  string
	setup func(b *testing.B, k *kernel.Kernel, n int) (caller func() func() error, done func())
}

// BenchmarkParallel measures the thread-safety options under
// b.RunParallel, for a cheap kernel (sum of 1 and of 1000 elements) and a
// heavy one (matmul of order 64); run it with -cpu 1,2,... for the
// scaling. Every goroutine copies its own inputs in on every call, so
// the rows differ only in how they share: impl=shared, one instance and
// its mutex; impl=pool, a zerocall.Pool of instances; impl=owned, a
// lock-free handle per goroutine; impl=straight, no buffers and no lock;
// and the same on wazero (wasm-shared, wasm-pool, wasm-owned). The cgo
// rows exist in a build with cgo.
func BenchmarkParallel(b *testing.B) {
	for _, c := range []struct {
		k *kernel.Kernel
		n int
	}{{kernel.Sum, 1}, {kernel.Sum, 1000}, {kernel.MatMul, 64}} {
		for _, impl := range append(parallelNative(), parallelWasm()...) {
			name := "Sum"
			if c.k == kernel.MatMul {
				name = "MatMul"
			}
			b.Run(fmt.Sprintf("%s/n=%d/impl=%s", name, c.n, impl.name), func(b *testing.B) {
				caller, done := impl.setup(b, c.k, c.n)
				defer done()
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					call := caller()
					for pb.Next() {
						if err := call(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// instanceCall returns a caller of k on the Kernels that get returns for
// each call: a copying call on inputs of the goroutine's own.
func instanceCall(k *kernel.Kernel, n int, get func() (measure.Kernels, func())) func() func() error {
	return func() func() error {
		if k == kernel.MatMul {
			x, y, out := kerneltest.Data(n*n, 1), kerneltest.Data(n*n, 2), make([]float64, n*n)
			return func() error {
				in, put := get()
				defer put()
				return in.MatMul(x, y, out, n)
			}
		}
		x := kerneltest.Data(n, 1)
		return func() error {
			in, put := get()
			defer put()
			_, err := in.Sum(x)
			return err
		}
	}
}

// ownedCall returns a caller of a handle of the goroutine's own, made by
// newHandle, copying its inputs in on every call.
func ownedCall(b *testing.B, k *kernel.Kernel, n int, newHandle func(caps ...int) (*kernel.Handle, error)) func() func() error {
	return func() func() error {
		l := n
		if k == kernel.MatMul {
			l = n * n
		}
		caps := make([]int, len(k.Buffers))
		for i := range caps {
			caps[i] = l
		}
		h, err := newHandle(caps...)
		if err != nil {
			b.Error(err)
			return func() error { return err }
		}
		b.Cleanup(func() { h.Close() })
		bufs := make([]kernel.Slice, len(k.Buffers))
		for i := range bufs {
			bufs[i] = kernel.SliceOf(kerneltest.Data(l, uint64(i+1)))
		}
		a := kernel.Args{I: [kernel.MaxScalars]int64{int64(n)}}
		return func() error {
			_, err := h.Call(&a, bufs...)
			return err
		}
	}
}

// parallelWasm are the options on wazero.
func parallelWasm() []parallelImpl {
	newInstance := func() (*zerocall.Instance, error) {
		return wasm.New(zerocall.Config{Capacity: 64 * 64, Taps: 1})
	}
	return []parallelImpl{
		sharedImpl("wasm-shared", newInstance),
		poolImpl("wasm-pool", newInstance),
		{"wasm-owned", func(b *testing.B, k *kernel.Kernel, n int) (func() func() error, func()) {
			// The embedded module keeps the module ABI, so its built-in
			// kernels run as Funcs of a Library like any module's.
			lib, err := wasm.Load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
			if err != nil {
				b.Fatal(err)
			}
			f, err := lib.Func(k, k.Name)
			if err != nil {
				b.Fatal(err)
			}
			return ownedCall(b, k, n, func(caps ...int) (*kernel.Handle, error) {
				return f.Handle(zerocall.Module, caps...)
			}), func() { lib.Close() }
		}},
	}
}

// sharedImpl is the option of one instance, made by newInstance, that
// every goroutine calls through its mutex.
func sharedImpl(name string, newInstance func() (*zerocall.Instance, error)) parallelImpl {
	return parallelImpl{name, func(b *testing.B, k *kernel.Kernel, n int) (func() func() error, func()) {
		in, err := newInstance()
		if err != nil {
			b.Fatal(err)
		}
		return instanceCall(k, n, func() (measure.Kernels, func()) { return in, func() {} }), func() { in.Close() }
	}}
}

// poolImpl is the option of a zerocall.Pool of instances made by
// newInstance.
func poolImpl(name string, newInstance func() (*zerocall.Instance, error)) parallelImpl {
	return parallelImpl{name, func(b *testing.B, k *kernel.Kernel, n int) (func() func() error, func()) {
		return poolCall(k, n, newInstance), func() {}
	}}
}

// poolCall returns a caller that takes an instance from a Pool for each
// call. Each goroutine's function for Do is made once, before its loop.
func poolCall(k *kernel.Kernel, n int, newInstance func() (*zerocall.Instance, error)) func() func() error {
	pool := &zerocall.Pool[*zerocall.Instance]{New: newInstance}
	return func() func() error {
		if k == kernel.MatMul {
			x, y, out := kerneltest.Data(n*n, 1), kerneltest.Data(n*n, 2), make([]float64, n*n)
			f := func(in *zerocall.Instance) error { return in.MatMul(x, y, out, n) }
			return func() error { return pool.Do(f) }
		}
		x := kerneltest.Data(n, 1)
		f := func(in *zerocall.Instance) error { _, err := in.Sum(x); return err }
		return func() error { return pool.Do(f) }
	}
}
