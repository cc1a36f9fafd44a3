// Command conv3x3 is a worked example: a float32 kernel of your own (a
// 3×3 image convolution, conv3x3.c) called from your own cgo package
// through every native path of zerocall, and translated by zerocall gen
// into Go assembly that Go calls with no crossing (package conv3x3asm),
// tested with the test kit (main_test.go) and measured
// here with the benchmark kit against the same kernel in Go.
//
//	go run ./conv3x3 [-n 256] [-count 5] [-time 20ms] [-out dir]
//	go run ./conv3x3 -plan [-budget 200ms] [-wisdom file]
//
// It prints the table at one image size (n×n) and the sweep over sizes,
// with the size from which each path beats Go; -out also writes the sweep
// as JSON, which the zcbench command draws (zcbench plot).
//
// With -plan it plans the kernel instead (package plan): it measures its
// paths for at most -budget, or reads what it measured on an earlier run
// from the -wisdom file, and prints the path each image size runs on.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// maxSide bounds -n: the measurement holds several n×n images at once,
// some 150 bytes a pixel in all, about 600 MB at 2048 and four times that
// at twice the side.
const maxSide = 2048

func main() {
	n := flag.Int("n", 256, fmt.Sprintf("image side for the table: n×n float32, from 2 to %d", maxSide))
	count := flag.Int("count", 5, "timed runs per size and path; the median is reported")
	d := flag.Duration("time", 20*time.Millisecond, "duration of each timed run")
	out := flag.String("out", "", "directory for the sweep as JSON, which zcbench plot draws (none when empty)")
	planOnly := flag.Bool("plan", false, "plan the kernel and print the path each size runs on")
	budget := flag.Duration("budget", 200*time.Millisecond, "with -plan, the time the measurement may take")
	wisdom := flag.String("wisdom", "", "with -plan, a file to keep the measurements in for the next run")
	flag.Parse()
	if err := checkFlags(flag.Args(), *n, *count, *d); err != nil {
		// As the flag package reports a flag it cannot parse.
		fmt.Fprintln(flag.CommandLine.Output(), err)
		flag.Usage()
		os.Exit(2)
	}
	if *planOnly {
		// The planner reports a wisdom file it cannot read or write only
		// through its Logf: without one, -wisdom would fail silently.
		logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "conv3x3: "+format+"\n", args...) }
		p, err := planned(*budget, *wisdom, logf)
		if err == nil {
			err = planReport(os.Stdout, p, []int{3, 4, 8, 16, 32, 64, 128, 256, 512, 1024})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "conv3x3:", err)
			os.Exit(1)
		}
		return
	}
	o := zcbench.Options{N: *n, Sizes: []int{4, 8, 16, 32, 64, 128, 256, 512}, Count: *count, Time: *d, Progress: os.Stderr, Out: *out}
	if err := report(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "conv3x3:", err)
		os.Exit(1)
	}
}

// checkFlags checks what main was given besides the flags' syntax: no
// arguments after the flags, which would stop the flags' parsing there,
// an image side the kernel takes (at least 2) and memory holds, and runs
// to time.
func checkFlags(args []string, n, count int, d time.Duration) error {
	switch {
	case len(args) > 0:
		return fmt.Errorf("unexpected argument %q: conv3x3 takes only flags", args[0])
	case n < 2 || n > maxSide:
		return fmt.Errorf("invalid value %d for flag -n: the image side must be from 2 to %d", n, maxSide)
	case count < 1:
		return fmt.Errorf("invalid value %d for flag -count: it must be at least 1", count)
	case d <= 0:
		return fmt.Errorf("invalid value %v for flag -time: it must be positive", d)
	}
	return nil
}

// report measures the kernel as o says (its sizes, runs and where the sweep goes) and
// prints the table and the sweep.
func report(w io.Writer, o zcbench.Options) error {
	s, err := spec()
	if err != nil {
		return err
	}
	o.Name, o.SizeUnit, o.Unit, o.XLabel = "Conv3x3", "pixels a side", "pixel", "n (images are n×n)"
	o.Work, o.Size = func(n float64) float64 { return n * n }, math.Sqrt
	return zcbench.Report(w, s, o)
}

// ref is the kernel's Go version in the kits' terms.
func ref(a *kernel.Args, b []kernel.Slice) kernel.Return {
	return kernel.Return{N: int64(conv3x3Go(kernel.Elems[float32](b[0]), kernel.Elems[float32](b[1]), kernel.Elems[float32](b[2]), int(a.I[0])))}
}

// spec describes the measurement: the C kernel (the best variant this CPU
// runs) through every native path,
// the same C as Go assembly where it has a translation, and in Go, on n×n
// images (with a 3×3 kernel, writing (n-2)×(n-2) outputs) of data the
// benchmark kit makes.
func spec() (zctest.Spec, error) {
	f, err := cFunc(zerocall.Auto)
	if err != nil {
		return zctest.Spec{}, err
	}
	s := zctest.Spec{
		Func:      f,
		Ref:       ref,
		Lens:      func(n int) []int { return []int{n * n, 9, (n - 2) * (n - 2)} },
		Args:      func(n int) kernel.Args { return kernel.Args{I: [kernel.MaxScalars]int64{int64(n)}} },
		Tolerance: 1e-5,
	}
	if af, err := asmFunc(zerocall.Auto); err == nil {
		s.Also = append(s.Also, af)
	}
	return s, nil
}
