//go:build cgo

package zerocall_test

import (
	"fmt"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// The parts of the root package's tests and benchmarks that call C
// through cgo; nocgo_test.go stands in for them in a build without cgo.

const cgoEnabled = true

// skipNoCgo skips an impl=cgo* row in a build without cgo.
func skipNoCgo(testing.TB, string) {}

// newPinned makes a pinned instance (pattern 1) of the given capacity.
func newPinned(capacity, taps int) func() (*zerocall.Instance, error) {
	return func() (*zerocall.Instance, error) {
		return native.New(zerocall.Pinned, zerocall.Config{Capacity: capacity, Taps: taps})
	}
}

// newCOwned makes a C-owned instance (pattern 3) of the given capacity.
func newCOwned(capacity, taps int) func() (*zerocall.Instance, error) {
	return func() (*zerocall.Instance, error) {
		return native.New(zerocall.COwned, zerocall.Config{Capacity: capacity, Taps: taps})
	}
}

// nativeHandle is a handle of built-in kernel k through cgo, over regions
// owned as mem says.
func nativeHandle(k *kernel.Kernel, mem zerocall.Memory, caps ...int) (*kernel.Handle, error) {
	f, err := native.Builtin(k, zerocall.Auto)
	if err != nil {
		return nil, err
	}
	return f.Handle(mem, caps...)
}

// nativeFuzzTargets adds every native path in every variant.
func nativeFuzzTargets(add func(name string, k measure.Kernels, err error, capacity int)) {
	for _, v := range native.Variants() {
		s, err := measure.Straight(v)
		add("straight/"+v.String(), s, err, 0)
		d, err := measure.Direct(v)
		add("direct/"+v.String(), d, err, 0)
		cfg := zerocall.Config{Capacity: fuzzCapacity, Taps: fuzzTaps, Variant: v}
		p, err := native.New(zerocall.Pinned, cfg)
		add("pinned/"+v.String(), p, err, fuzzCapacity)
		c, err := native.New(zerocall.COwned, cfg)
		add("cowned/"+v.String(), c, err, fuzzCapacity)
	}
}

func benchCallCgo(b *testing.B) {
	b.Run("impl=cgo-bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			measure.CgoNoop()
		}
	})
}

// benchSumOwned is the row impl=cgo-owned of BenchmarkSum: the built-in
// sum through the generic machinery, an owned (lock-free) handle over
// pinned regions, called in place.
func benchSumOwned(b *testing.B) {
	f, err := native.Builtin(kernel.Sum, zerocall.Auto)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range suite.Sizes(suite.Sum) {
		in := suite.NewInputs(suite.Sum, n)
		b.Run(fmt.Sprintf("n=%d/impl=cgo-owned", n), func(b *testing.B) {
			h, err := f.Handle(zerocall.Pinned, suite.Capacity)
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			x := kernel.Elems[float64](h.Region(0))
			copy(x, in.X)
			a := kernel.Args{Len: [8]int{n}}
			testkernel.BenchCall(b, h, &a, func(r kernel.Return) error { return kerneltest.CheckSum(in.X, r.F) })
		})
	}
}

// userNative returns the native rows of BenchmarkUserKernel at one size:
// impl=cgo, the kernel's function pointer from cgo (its baseline build),
// called in place on an owned handle; impl=cgo-variant, the best of the
// variants ZC_VARIANTS built of the same body (native.NewVariant with
// zerocall.Auto), likewise; impl=dlopen, the same C from a shared library
// loaded at run time, which picks from the library's variants likewise;
// impl=straight, the caller's slices passed for one call to the baseline.
func userNative(b *testing.B) func(b *testing.B, u *testkernel.Case) {
	cgo, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		b.Fatal(err)
	}
	best, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Auto)
	if err != nil {
		b.Fatal(err)
	}
	path, err := testkernel.BuildShared(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	lib, err := native.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	dl, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
	if err != nil {
		b.Fatal(err)
	}
	typed, err := ckernel.NewSaxpyTyped(zerocall.Auto)
	if err != nil {
		b.Fatal(err)
	}
	return func(b *testing.B, u *testkernel.Case) {
		testkernel.BenchRow(b, "cgo", cgo, zerocall.Pinned, u, true)
		testkernel.BenchRow(b, "cgo-variant", best, zerocall.Pinned, u, true)
		testkernel.BenchRow(b, "dlopen", dl, zerocall.Pinned, u, true)
		testkernel.BenchStraight(b, "straight", func(a *kernel.Args, x, y, out kernel.Slice) (kernel.Return, error) {
			return cgo.Call(a, x, y, out)
		}, u)
		testkernel.BenchTyped(b, "cgo-typed", typed, u)
	}
}

// cVariant is the variant the built-ins run through cgo.
func cVariant() string { return native.Variants()[0].String() }

// parallelNative are the thread-safety options through cgo.
func parallelNative() []parallelImpl {
	newInstance := func() (*zerocall.Instance, error) {
		return native.New(zerocall.Pinned, zerocall.Config{Capacity: 64 * 64, Taps: 1})
	}
	return []parallelImpl{
		sharedImpl("shared", newInstance),
		poolImpl("pool", newInstance),
		{"owned", func(b *testing.B, k *kernel.Kernel, n int) (func() func() error, func()) {
			f, err := native.Builtin(k, zerocall.Auto)
			if err != nil {
				b.Fatal(err)
			}
			return ownedCall(b, k, n, func(caps ...int) (*kernel.Handle, error) {
				return f.Handle(zerocall.Pinned, caps...)
			}), func() {}
		}},
		{"straight", func(b *testing.B, k *kernel.Kernel, n int) (func() func() error, func()) {
			s, err := measure.Straight(zerocall.Auto)
			if err != nil {
				b.Fatal(err)
			}
			return instanceCall(k, n, func() (measure.Kernels, func()) { return s, func() {} }), func() {}
		}},
	}
}

// batchNative is BenchmarkBatch's row through cgo: the best variant's
// sum, a batch over pinned memory.
func batchNative(b *testing.B) []testkernel.BatchRow {
	f, err := native.Builtin(kernel.Sum, zerocall.Auto)
	if err != nil {
		b.Fatal(err)
	}
	return []testkernel.BatchRow{testkernel.BatchRowOf("cgo", f, zerocall.Pinned)}
}

// clampNative is testkernel.Clamp's cgo Func in the best variant, for
// BenchmarkPlanned.
func clampNative() func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	f, err := native.NewVariant(testkernel.Clamp, ckernel.ClampVariants(), zerocall.Auto)
	if err != nil {
		return nil
	}
	return f.Call
}
