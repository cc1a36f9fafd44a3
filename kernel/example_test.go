package kernel_test

import (
	"fmt"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// A kernel of your own, out = a·x + y on float32, described once. Every
// host checks a call against the description before the C runs, as
// CheckSlices does here: the slices' number and element types, the
// overlaps of what the kernel writes, then the kernel's own Check.
func ExampleKernel() {
	saxpy := &kernel.Kernel{
		Name: "saxpy",
		Buffers: []kernel.Buffer{
			{Name: "x", Type: kernel.Float32, Role: kernel.In},
			{Name: "y", Type: kernel.Float32, Role: kernel.In},
			{Name: "out", Type: kernel.Float32, Role: kernel.Out},
		},
		Floats:  []string{"a"},
		Result:  kernel.Count, // the C returns the outputs it wrote,
		CountOf: 2,            // at most len(out)
		Check: func(a *kernel.Args) error {
			if a.Len[1] != a.Len[0] || a.Len[2] < a.Len[0] {
				return zerocall.ErrLength
			}
			return nil
		},
	}
	x, y := []float32{1, 2, 3}, []float32{10, 20, 30}
	out := make([]float32, 3)
	var a kernel.Args
	err := saxpy.CheckSlices(&a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)})
	fmt.Println(a.Len[:3], err)
	err = saxpy.CheckSlices(&a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf([]float64{10, 20, 30}), kernel.SliceOf(out)})
	fmt.Println(err)
	err = saxpy.CheckSlices(&a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(x[1:])})
	fmt.Println(err)
	err = saxpy.CheckSlices(&a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y[:2]), kernel.SliceOf(out)})
	fmt.Println(err)
	// Output:
	// [3 3 3] <nil>
	// zerocall: element type does not match the kernel's buffer: buffer y of kernel saxpy holds float32, not float64
	// zerocall: operands overlap: kernel saxpy writes buffer out, whose slice overlaps that of buffer x
	// zerocall: operand lengths do not match (the Check of kernel saxpy, on lengths x 3, y 2, out 3)
}

// A Go version of a kernel, or any code handed Slices, reads them as the
// typed slices they are with Elems: the same memory, no copy.
func ExampleElems() {
	x := []float64{1, 2, 3}
	s := kernel.SliceOf(x)
	v := kernel.Elems[float64](s)
	v[0] = 10
	fmt.Println(x, s.Len(), s.Type(), kernel.Elems[float32](s) == nil)
	// Output: [10 2 3] 3 float64 true
}
