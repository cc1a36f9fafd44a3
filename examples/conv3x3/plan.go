package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/plan"
)

// planned returns the kernel planned over its three paths: the Go
// version, the C through cgo and the C as Go assembly, each in the best
// variant this CPU runs. It measures them on its first use for at most
// budget, or reads what it measured before from file if it is valid here.
// logf is told what the planner does not return as an error: why it did
// not use or save the file, and what it chose.
func planned(budget time.Duration, file string, logf func(format string, args ...any)) (*plan.Plan, error) {
	p := &plan.Plan{
		Kernel: Conv3x3,
		Go:     ref,
		Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
			side := max(3, int(math.Sqrt(float64(n))))
			img, k := make([]float32, side*side), make([]float32, 9)
			for i := range img {
				img[i] = rand.Float32()
			}
			for i := range k {
				k[i] = rand.Float32() - 0.5
			}
			a := kernel.Args{I: [kernel.MaxScalars]int64{int64(side)}}
			out := make([]float32, (side-2)*(side-2))
			return &a, []kernel.Slice{kernel.SliceOf(img), kernel.SliceOf(k), kernel.SliceOf(out)}
		},
		Budget: budget,
		File:   file,
		Logf:   logf,
	}
	f, err := cFunc(zerocall.Auto)
	if err != nil {
		return nil, err
	}
	p.Paths = map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){"cgo": f.Call}
	if af, err := asmFunc(zerocall.Auto); err == nil {
		p.Paths["asm"] = af.Call
	}
	return p, nil
}

// planReport prints the path p runs a call on for each image side of
// sides: the size of a call is its image's n×n pixels.
func planReport(w io.Writer, p *plan.Plan, sides []int) error {
	fmt.Fprintln(w, "Conv3x3, planned on this machine: an n×n image runs on")
	for _, n := range sides {
		c, err := p.Choice(n * n)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  n = %4d: %s\n", n, c)
	}
	return nil
}
