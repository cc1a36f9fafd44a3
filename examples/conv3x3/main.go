// Command conv3x3 is a worked example: a float32 kernel of your own (a
// 3×3 image convolution, conv3x3.c) called from your own cgo package
// through every native path of zerocall, and translated by zerocall gen
// into Go assembly that Go calls with no crossing (package conv3x3asm),
// tested with the test kit (main_test.go) and measured
// here with the benchmark kit against the same kernel in Go.
//
//	go run ./conv3x3 [-n 256] [-count 5] [-time 20ms] [-out dir]
//
// It prints the table at one image size (n×n) and the sweep over sizes,
// with the size from which each path beats Go; -out also writes the plot.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
)

func main() {
	n := flag.Int("n", 256, "image side for the table: n×n float32")
	count := flag.Int("count", 5, "timed runs per size and path; the median is reported")
	d := flag.Duration("time", 20*time.Millisecond, "duration of each timed run")
	out := flag.String("out", "", "directory for the plot (none when empty)")
	flag.Parse()
	if err := report(os.Stdout, os.Stderr, *n, []int{4, 8, 16, 32, 64, 128, 256, 512}, *count, *d, *out); err != nil {
		fmt.Fprintln(os.Stderr, "conv3x3:", err)
		os.Exit(1)
	}
}

// report measures the kernel and prints the table and the sweep.
func report(w, progress io.Writer, n int, sizes []int, count int, d time.Duration, out string) error {
	s, err := spec()
	if err != nil {
		return err
	}
	return zcbench.Report(w, progress, s, n, "pixels a side", sizes, count, d, out)
}

// spec describes the measurement: the kernel on every native path, as Go
// assembly and in Go, on n×n images.
func spec() (zcbench.Spec, error) {
	f, err := cFunc()
	if err != nil {
		return zcbench.Spec{}, err
	}
	goFn := func(a *kernel.Args, b []kernel.Slice) kernel.Return {
		return kernel.Return{N: int64(conv3x3Go(f32(b[0]), f32(b[1]), f32(b[2]), int(a.I[0])))}
	}
	var hosts []zcbench.Host
	if af, err := asmFunc(); err == nil {
		hosts = append(hosts, zcbench.AsmHost(af))
	}
	return zcbench.Spec{
		Kernel: "Conv3x3",
		Impls:  zcbench.FuncImpls(f, goFn, inputs, zcbench.CheckFloat(Conv3x3, 1e-5), hosts...),
		Unit:   "pixel",
		Work:   func(n float64) float64 { return n * n },
		Size:   math.Sqrt,
		XLabel: "n (images are n×n)",
	}, nil
}

// inputs returns an n×n image, a kernel and room for the outputs.
func inputs(n int) ([]kernel.Slice, kernel.Args) {
	img := make([]float32, n*n)
	for i := range img {
		img[i] = float32((i*7919)%255) / 255
	}
	k := []float32{1, 2, 1, 2, 4, 2, 1, 2, 1}
	for i := range k {
		k[i] /= 16
	}
	out := make([]float32, (n-2)*(n-2))
	return []kernel.Slice{kernel.SliceOf(img), kernel.SliceOf(k), kernel.SliceOf(out)},
		kernel.Args{I: [kernel.MaxScalars]int64{int64(n)}}
}
