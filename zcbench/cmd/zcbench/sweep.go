package main

import (
	"flag"
	"fmt"
	"io"
	"math"
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
	common := addMeasureFlags(fs, 3, "timed runs per size and implementation; the median is used", 20*time.Millisecond)
	sizes := fs.String("sizes", "", "comma-separated sizes (default: powers of 4 up to about 10⁶, or m up to 256 for matmul)")
	out := fs.String("out", ".", "directory for the plot, <kernel>.svg and <kernel>.png")
	noPlot := fs.Bool("noplot", false, "do not write the plot")
	best := fs.Bool("best", false, "plot only the fastest implementation of each family (pure Go, cgo, wazero, wasmtime, batched)")
	k, err := common.parse(fs, args)
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
	f, err := common.check()
	if err != nil {
		return err
	}
	o := options(k)
	o.Impls, o.Sizes, o.Count, o.Time, o.Progress, o.Best = rows(k), ns, *common.count, *common.d, stderr, *best
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

// parseSizes parses -sizes; checkSize refuses, for the kernel, a size
// out of range.
func parseSizes(s string) ([]int, error) {
	ns, err := parseInts("sizes", s, "a size", math.MinInt)
	if err != nil {
		return nil, err
	}
	if len(ns) < 2 {
		return nil, fmt.Errorf("%w: -sizes needs at least two sizes to fit a line", errUsage)
	}
	return ns, nil
}
