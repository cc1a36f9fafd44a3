package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// sweepSizes returns the default sizes of a sweep: powers of four over
// the range where the per-call cost gives way to the per-element cost.
func sweepSizes(k suite.Kernel) []int {
	switch k {
	case suite.MatMul:
		return []int{2, 4, 8, 16, 32, 64, 128, 256}
	case suite.FIR:
		return []int{16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576}
	}
	return []int{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576}
}

func sweepCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kernel := fs.String("kernel", "sum", "kernel: sum, dot, axpy, fir or matmul")
	sizes := fs.String("sizes", "", "comma-separated sizes (default: powers of 4 up to about 10⁶, or m up to 256 for matmul)")
	count := fs.Int("count", 3, "timed runs per size and implementation; the median is used")
	d := fs.Duration("time", 20*time.Millisecond, "duration of each timed run")
	out := fs.String("out", ".", "directory for the plot, <kernel>.svg and <kernel>.png")
	noPlot := fs.Bool("noplot", false, "do not write the plot")
	best := fs.Bool("best", false, "plot only the fastest implementation of each family (pure Go, cgo, wazero, wasmtime, batched)")
	format := formatFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	k, err := parseKernel(*kernel)
	if err != nil {
		return err
	}
	ns := sweepSizes(k)
	if *sizes != "" {
		if ns, err = parseSizes(*sizes); err != nil {
			return err
		}
	}
	for _, n := range ns {
		if err := checkSize(k, n); err != nil {
			return err
		}
	}
	f, err := runFlags(*count, *d, format)
	if err != nil {
		return err
	}
	o := options(k)
	o.Impls, o.Sizes, o.Count, o.Time, o.Progress, o.Best = rows(k), ns, *count, *d, stderr, *best
	res, err := zcbench.Sweep(zctest.Spec{}, o)
	if err != nil {
		return err
	}
	if !*noPlot {
		files, err := res.Plot(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", strings.Join(files, ", "))
	}
	return writeReport(stdout, f, res)
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%w: -sizes: %q is not a size", errUsage, f)
		}
		ns = append(ns, n)
	}
	if len(ns) < 2 {
		return nil, fmt.Errorf("%w: -sizes needs at least two sizes to fit a line", errUsage)
	}
	return ns, nil
}
