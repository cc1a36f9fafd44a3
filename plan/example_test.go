package plan_test

import (
	"fmt"
	"log"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/plan"
)

// A kernel of your own, out[i] = min(max(x[i], lo), hi)·s on float32,
// planned over its Go version and its C translated into Go assembly
// (zerocall gen): the first call measures both for at most Budget, and
// each call then runs on the faster for its size. Add File or Cache to
// keep the measurements for the next run.
func ExamplePlan() {
	p := &plan.Plan{
		Kernel: testkernel.Clamp,
		Go:     testkernel.ClampRef, // ClampGo on the call's slices
		Paths:  map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){},
		// A call of size n, to measure with.
		Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
			a := kernel.Args{F: [kernel.MaxScalars]float64{-1, 1, 2}}
			return &a, []kernel.Slice{kernel.SliceOf(make([]float32, n)), kernel.SliceOf(make([]float32, n))}
		},
		MaxSize: 1 << 14,
		Budget:  50 * time.Millisecond,
	}
	if f, err := asmkernel.Clamp(zerocall.Auto); err == nil { // none on an architecture with no translation
		p.Paths["asm"] = f.Call
	}

	x, out := []float32{-3, 0.25, 0.5, 7}, make([]float32, 4)
	a := kernel.Args{F: [kernel.MaxScalars]float64{-1, 1, 2}} // lo, hi, s
	r, err := p.Call(&a, kernel.SliceOf(x), kernel.SliceOf(out))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.N, out)
	// Output: 4 [-2 0.5 1 2]
}
