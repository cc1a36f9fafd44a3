//go:build cgo

package zerocall_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// BenchmarkVariants times the CPU variants of a kernel of the user's
// kind: testkernel.Clamp, a plain C loop (clamp to [lo, hi], then scale)
// that ZC_VARIANTS builds for every instruction set from one body.
// impl=cgo-<variant> calls the native build of that variant on the
// caller's slices, impl=asm-<variant> its translation into Go assembly,
// impl=go the Go version; every row checks its output against the Go
// version, bit for bit, before it is timed.
func BenchmarkVariants(b *testing.B) {
	for _, n := range []int{64, 4096, 65536} {
		x := make([]float32, n)
		for i, v := range kerneltest.Data(n, 7) {
			x[i] = float32(v)
		}
		want := make([]float32, n)
		a := testkernel.ClampArgs
		testkernel.ClampGo(float32(a.F[0]), float32(a.F[1]), float32(a.F[2]), x, want)
		b.Run(fmt.Sprintf("n=%d/impl=go", n), func(b *testing.B) {
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				testkernel.ClampGo(float32(a.F[0]), float32(a.F[1]), float32(a.F[2]), x, out)
			}
		})
		// call calls a concrete Func: through an interface, Call's
		// variadic slice would escape and allocate.
		row := func(name string, call func(a *kernel.Args, x, out kernel.Slice) (kernel.Return, error)) {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, name), func(b *testing.B) {
				out := make([]float32, n)
				sx, so := kernel.SliceOf(x), kernel.SliceOf(out)
				if r, err := call(&a, sx, so); err != nil || r.N != int64(n) || !slices.Equal(out, want) {
					b.Fatalf("%d outputs, %v; or not those of the Go version", r.N, err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := call(&a, sx, so); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		for _, v := range native.Variants() {
			f, err := native.NewVariant(testkernel.Clamp, ckernel.ClampVariants(), v)
			if err != nil {
				b.Fatal(err)
			}
			row("cgo-"+v.String(), func(a *kernel.Args, x, out kernel.Slice) (kernel.Return, error) { return f.Call(a, x, out) })
		}
		for _, v := range asm.Variants() {
			f, err := asmkernel.Clamp(v)
			if err != nil {
				b.Fatal(err)
			}
			row("asm-"+v.String(), func(a *kernel.Args, x, out kernel.Slice) (kernel.Return, error) { return f.Call(a, x, out) })
		}
	}
}
