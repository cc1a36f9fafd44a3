// Command zerocall measures the zerocall implementations on this machine
// and says which pays off, for which kernel, from which size on.
//
// Usage:
//
//	zerocall bench [-kernel sum] [-n 100000] [-count 7] [-time 100ms] [-json | -benchfmt]
//	zerocall sweep [-kernel sum] [-sizes 1,16,...] [-out dir] [-json | -benchfmt]
//
// bench prints, for one kernel and size, one row per implementation: the
// median time per call over -count runs and its spread, the allocations
// per call, and the speed relative to the naive pure-Go loop.
//
// sweep runs every implementation over a range of sizes, fits each one's
// time per call as a per-call cost plus a per-element cost (per m³ for
// matmul), prints the size from which each foreign path beats the best
// pure-Go path, and plots time per call against size, log-log, as
// <kernel>.svg and <kernel>.png in -out.
//
// Both check every implementation's result against the naive pure-Go
// reference before timing it, and measure the implementations in turn
// within each round, so that a slow moment of the machine is shared. With
// -benchfmt they print Go benchmark lines that benchstat compares across
// machines and commits; with -json, one JSON document.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/zcbench"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error in the command line; it exits with status 2.
var errUsage = errors.New("usage")

const usage = `usage: zerocall <verb> [flags]

verbs:
  bench   time every implementation of one kernel at one size
  sweep   time them over a range of sizes, fit, find crossovers, plot

run "zerocall <verb> -h" for a verb's flags
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "bench":
		err = benchCmd(args[1:], stdout, stderr)
	case "sweep":
		err = sweepCmd(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "zerocall: unknown verb %q\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "zerocall %s: %v\n", args[0], err)
		return 2
	}
	fmt.Fprintf(stderr, "zerocall %s: %v\n", args[0], err)
	return 1
}

func parseKernel(s string) (suite.Kernel, error) {
	for _, k := range suite.Kernels {
		if s == kernelName(k) {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: unknown kernel %q (valid: %s)", errUsage, s, kernelNames())
}

// checkSize refuses sizes the measured instances cannot take in one call.
func checkSize(k suite.Kernel, n int) error {
	switch {
	case n < 1:
		return fmt.Errorf("%w: sizes must be at least 1", errUsage)
	case k == suite.FIR && n < suite.Taps:
		return fmt.Errorf("%w: fir needs sizes of at least %d, its number of taps", errUsage, suite.Taps)
	case k == suite.MatMul && n*n > suite.Capacity:
		return fmt.Errorf("%w: matmul takes orders m up to 1024", errUsage)
	case n > suite.Capacity:
		return fmt.Errorf("%w: sizes may be at most %d", errUsage, suite.Capacity)
	}
	return nil
}

func benchCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kernel := fs.String("kernel", "sum", "kernel: "+kernelNames())
	n := fs.Int("n", 100000, "elements, or the order m for matmul")
	count := fs.Int("count", 7, "timed runs per implementation; the median is reported")
	d := fs.Duration("time", 100*time.Millisecond, "duration of each timed run")
	format := formatFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	k, err := parseKernel(*kernel)
	if err != nil {
		return err
	}
	if err := checkSize(k, *n); err != nil {
		return err
	}
	f, err := runFlags(*count, *d, format)
	if err != nil {
		return err
	}
	res, err := zcbench.Bench(spec(k), *n, *count, *d, stderr)
	if err != nil {
		return err
	}
	switch f {
	case formatJSON:
		return writeJSON(stdout, res)
	case formatBench:
		res.Benchfmt(stdout)
		return nil
	}
	res.Markdown(stdout, sizeUnit(k))
	return nil
}

// sizeUnit is what a size of kernel k counts, for the table's title.
func sizeUnit(k suite.Kernel) string {
	if k == suite.MatMul {
		return "(the order m)"
	}
	return "float64"
}

func kernelName(k suite.Kernel) string { return strings.ToLower(string(k)) }
