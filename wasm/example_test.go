package wasm_test

import (
	"fmt"
	"log"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// A kernel of your own in a module of the zerocall module ABI: here
// out = a·x + y on float32, built from C by wasm/embed/build.sh. Load
// checks the module, Func its export, Func.Handle reserves the regions in
// the module's memory; the caller fills them and calls in place.
func ExampleLoad() {
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		log.Fatal(err)
	}
	h, err := f.Handle(zerocall.Module, 4, 4, 4)
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	x := kernel.Elems[float32](h.Region(0))
	y := kernel.Elems[float32](h.Region(1))
	out := kernel.Elems[float32](h.Region(2))
	copy(x, []float32{1, 2, 3, 4})
	copy(y, []float32{10, 20, 30, 40})
	// Views of the regions from their start: the call runs in place.
	a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
	r, err := h.Call(&a, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.N, out)
	// Output: 4 [12 24 36 48]
}

// A batch of a module's kernel: calls queued with offsets of their own
// into the regions, run in one call of the module's batch export (which
// ZC_MODULE_BATCH of zc_module.h defines), each with its own result.
func ExampleFunc_Batch() {
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		log.Fatal(err)
	}
	b, err := f.Batch(zerocall.Module, 2, 4, 4, 4) // 2 calls, regions of 4
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	x := kernel.Elems[float32](b.Handle.Region(0))
	y := kernel.Elems[float32](b.Handle.Region(1))
	out := kernel.Elems[float32](b.Handle.Region(2))
	copy(x, []float32{1, 2, 3, 4})
	copy(y, []float32{10, 20, 30, 40})
	// Two calls of two elements each, with a = 2 and a = -1, on elements
	// 0 and 1, then 2 and 3, of every region.
	b.Add(&kernel.Args{F: [kernel.MaxScalars]float64{2}},
		kernel.SliceOf(x[0:2]), kernel.SliceOf(y[0:2]), kernel.SliceOf(out[0:2]))
	b.Add(&kernel.Args{F: [kernel.MaxScalars]float64{-1}},
		kernel.SliceOf(x[2:4]), kernel.SliceOf(y[2:4]), kernel.SliceOf(out[2:4]))
	if _, err := b.Run(); err != nil {
		log.Fatal(err)
	}
	r0, _ := b.Result(0)
	r1, _ := b.Result(1)
	fmt.Println(r0.N, r1.N, out)
	// Output: 2 2 [12 24 27 36]
}
