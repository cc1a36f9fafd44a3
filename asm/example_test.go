package asm_test

import (
	"fmt"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
)

// The C kernels, called as Go assembly: the best variant this machine
// runs, on the caller's own slices.
func ExampleNew() {
	k, err := asm.New(zerocall.Auto)
	if err != nil {
		fmt.Println(err) // an architecture with no translation
		return
	}
	defer k.Close()
	x := []float64{1, 2, 3, 4}
	y := []float64{10, 20, 30, 40}
	s, _ := k.Sum(x)
	d, _ := k.Dot(x, y)
	out := make([]float64, 4)
	_ = k.Axpy(2, x, y, out)
	fmt.Println(s, d, out)
	// Output: 10 300 [12 24 36 48]
}

// A variant can be forced per instance; one the machine lacks is
// refused with zerocall.ErrUnsupported.
func ExampleVariants() {
	for _, v := range asm.Variants() {
		k, _ := asm.New(v)
		c := make([]float64, 4)
		_ = k.MatMul([]float64{1, 2, 3, 4}, []float64{1, 0, 0, 1}, c, 2)
		if fmt.Sprint(c) != "[1 2 3 4]" {
			fmt.Println(v, "disagrees:", c)
		}
	}
	fmt.Println("every variant agrees")
	// Output: every variant agrees
}
