//go:build cgo

package zerocall_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
)

// A Pool gives each goroutine an instance of its own for the length of
// Do, so the in-place methods are safe without sharing a lock.
func ExamplePool() {
	pool := &zerocall.Pool[*zerocall.Instance]{New: func() (*zerocall.Instance, error) {
		return native.New(zerocall.Pinned, zerocall.Config{Capacity: 1 << 12})
	}}
	var s float64
	err := pool.Do(func(in *zerocall.Instance) (err error) {
		x := in.Regions().X
		for i := range 100 {
			x[i] = float64(i + 1)
		}
		s, err = in.Sum(x[:100])
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	// Output: 5050
}

// Errors are values: an input the instance cannot take is refused, and
// the instance keeps working.
func ExampleErrCapacity() {
	in, err := native.New(zerocall.Pinned, zerocall.Config{Capacity: 16})
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()

	a := make([]float64, 25) // a 5×5 matrix does not fit 16 elements
	err = in.MatMul(a, a, make([]float64, 25), 5)
	fmt.Println(errors.Is(err, zerocall.ErrCapacity))

	s, _ := in.Sum(make([]float64, 1000)) // sums stream through the buffer
	fmt.Println(s)
	// Output:
	// true
	// 0
}

// VariantOf says which build of a kernel a Func runs. The table of
// variants here is the test kernel's; in a cgo package of yours it is
// unsafe.Pointer(&C.my_kernel_variants), which ZC_VARIANTS defines.
func ExampleVariantOf() {
	f, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Scalar)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(zerocall.VariantOf(f), zerocall.VariantOf("not a Func"))
	// Output: scalar auto
}
