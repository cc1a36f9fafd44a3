// Command zerocall measures the zerocall implementations on this machine.
//
// Usage:
//
//	zerocall bench [-kernel sum] [-n 100000] [-count 7] [-time 100ms]
//
// bench prints, for one kernel and size, a table with one row per
// implementation: the median time per call over -count runs and its
// spread, the allocations per call, and the speed relative to the naive
// pure-Go loop. Every implementation's result is checked against the
// naive reference before it is timed.
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
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error in the command line; it exits with status 2.
var errUsage = errors.New("usage")

const usage = `usage: zerocall <verb> [flags]

verbs:
  bench   time every implementation of one kernel at one size

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
		err = bench(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "zerocall: unknown verb %q\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "zerocall %s: %v\n", args[0], err)
		return 2
	}
	fmt.Fprintf(stderr, "zerocall %s: %v\n", args[0], err)
	return 1
}

// kernelNames maps the lower-case names the flags take to kernels.
func parseKernel(s string) (suite.Kernel, error) {
	var names []string
	for _, k := range suite.Kernels {
		name := strings.ToLower(string(k))
		if s == name {
			return k, nil
		}
		names = append(names, name)
	}
	return "", fmt.Errorf("%w: unknown kernel %q (valid: %s)", errUsage, s, strings.Join(names, ", "))
}

// checkSize refuses sizes the measured instances cannot take in one call.
func checkSize(k suite.Kernel, n int) error {
	switch {
	case n < 1:
		return fmt.Errorf("%w: -n must be at least 1", errUsage)
	case k == suite.FIR && n < suite.Taps:
		return fmt.Errorf("%w: fir needs -n of at least %d, its number of taps", errUsage, suite.Taps)
	case k == suite.MatMul && n > 1024:
		return fmt.Errorf("%w: matmul takes -n (the order m) up to 1024", errUsage)
	case n > suite.Capacity:
		return fmt.Errorf("%w: -n may be at most %d", errUsage, suite.Capacity)
	}
	return nil
}

func bench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kernel := fs.String("kernel", "sum", "kernel: sum, dot, axpy, fir or matmul")
	n := fs.Int("n", 100000, "elements, or the order m for matmul")
	count := fs.Int("count", 7, "timed runs per implementation; the median is reported")
	d := fs.Duration("time", 100*time.Millisecond, "duration of each timed run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	k, err := parseKernel(*kernel)
	if err != nil {
		return err
	}
	if err := checkSize(k, *n); err != nil {
		return err
	}
	if *count < 1 || *d <= 0 {
		return fmt.Errorf("%w: -count and -time must be positive", errUsage)
	}
	rows, err := benchRows(k, *n, *count, *d, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s of %d float64%s, median of %d runs of %v each\n", k, *n, matmulNote(k), *count, *d)
	fmt.Fprintf(stdout, "%s\n\n", machine())
	printTable(stdout, rows)
	return nil
}

func matmulNote(k suite.Kernel) string {
	if k == suite.MatMul {
		return " (n is the order m)"
	}
	return ""
}
