//go:build cgo

package native_test

import (
	"fmt"
	"log"
	"slices"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// A pinned instance copies each input into its pinned buffer and calls C:
// no allocation, no pointer check per call.
func ExampleNew() {
	in, err := native.New(zerocall.Pinned, zerocall.Config{Capacity: 1024})
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()

	x := []float64{1, 2, 3, 4, 5}
	s, err := in.Sum(x)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	// Output: 15
}

// In place, the caller writes straight into C-owned memory and calls the
// kernel on views of it: nothing is copied at all.
func ExampleNew_cOwned() {
	in, err := native.New(zerocall.COwned, zerocall.Config{Capacity: 1024, Taps: 2})
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close() // frees the C memory; r must not be used after it

	r := in.Regions()
	n := copy(r.X, []float64{1, 2, 3, 4})
	copy(r.Taps, []float64{0.5, 0.5})
	nout, err := in.FIR(r.X[:n], r.Taps[:2], r.Out) // moving average of two
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Out[:nout])
	// Output: [1.5 2.5 3.5]
}

// A built-in kernel is a Func like any other: a one-shot call hands the
// caller's slices to C for the call, with nothing copied or pinned.
func ExampleBuiltin() {
	dot, err := native.Builtin(kernel.Dot, zerocall.Auto)
	if err != nil {
		log.Fatal(err)
	}
	r, err := dot.Call(&kernel.Args{}, kernel.SliceOf([]float64{1, 2, 3}), kernel.SliceOf([]float64{4, 5, 6}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.F)
	// Output: 32
}

// Variants lists what this CPU can run, the variant zerocall.Auto runs
// first; a constructor given one of them runs it, so tests can force each.
func ExampleVariants() {
	vs := native.Variants()
	fmt.Println(slices.Contains(vs, zerocall.Scalar))
	for _, v := range vs {
		sum, err := native.Builtin(kernel.Sum, v)
		if err != nil {
			log.Fatal(err)
		}
		if r, _ := sum.Call(&kernel.Args{}, kernel.SliceOf([]float64{0.5, 0.25, 0.25})); r.F != 1 {
			fmt.Println(v, "disagrees:", r.F)
		}
	}
	// Output: true
}

// A batch runs many small calls in one crossing: each call sums its own
// part of the region, and one Run crosses into C once for all of them.
func ExampleFunc_Batch() {
	sum, err := native.Builtin(kernel.Sum, zerocall.Auto)
	if err != nil {
		log.Fatal(err)
	}
	b, err := sum.Batch(zerocall.Pinned, 3, 9) // 3 calls, a region of 9
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	x := kernel.Elems[float64](b.Handle.Region(0))
	copy(x, []float64{1, 2, 3, 10, 20, 30, 100, 200, 300})
	for j := range 3 {
		// Call j sums the 3 elements of x from element 3j on.
		if _, err := b.Add(&kernel.Args{}, kernel.SliceOf(x[3*j:3*j+3])); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := b.Run(); err != nil {
		log.Fatal(err)
	}
	for j := range 3 {
		r, err := b.Result(j)
		fmt.Println(r.F, err)
	}
	// New data in place, the same calls: Rerun.
	copy(x, []float64{4, 4, 4, 5, 5, 5, 6, 6, 6})
	if _, err := b.Rerun(); err != nil {
		log.Fatal(err)
	}
	r, _ := b.Result(2)
	fmt.Println(r.F)
	// Output:
	// 6 <nil>
	// 60 <nil>
	// 600 <nil>
	// 18
}

// A kernel of your own built by ZC_VARIANTS of zc_kernel.h, here the test
// kernel (out = a·x + y on float32): zerocall.Auto runs the best variant
// this CPU has, and each variant it runs gives the same result.
func ExampleNewVariant() {
	for _, v := range append([]zerocall.Variant{zerocall.Auto}, native.Variants()...) {
		f, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), v)
		if err != nil {
			log.Fatal(err)
		}
		out := make([]float32, 3)
		a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
		r, err := f.Call(&a, kernel.SliceOf([]float32{1, 2, 3}), kernel.SliceOf([]float32{10, 20, 30}), kernel.SliceOf(out))
		if err != nil || r.N != 3 || !slices.Equal(out, []float32{12, 24, 36}) {
			fmt.Println(v, "disagrees:", out, err)
		}
	}
	fmt.Println("every variant agrees")
	// Output: every variant agrees
}
