package wasm_test

import (
	"fmt"
	"log"

	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// A kernel of your own in a module of the zerocall module ABI: here
// out = a·x + y on float32, built from C by wasm/embed/build.sh. Load
// checks the module, Func its export, NewOwned reserves the regions in
// the module's memory; the caller fills them in place and calls.
func ExampleLoad() {
	lib, err := wasm.Load(testkernel.Module(), wasm.LoadConfig{})
	if err != nil {
		log.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		log.Fatal(err)
	}
	h, err := wasm.NewOwned(f, 4, 4, 4)
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	x, _ := wasm.View[float32](h, 0)
	y, _ := wasm.View[float32](h, 1)
	out, _ := wasm.View[float32](h, 2)
	copy(x, []float32{1, 2, 3, 4})
	copy(y, []float32{10, 20, 30, 40})
	r, err := h.Call(&kernel.Args{Len: [kernel.MaxBuffers]int{4, 4, 4}, F: [kernel.MaxScalars]float64{2}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.N, out)
	// Output: 4 [12 24 36 48]
}
