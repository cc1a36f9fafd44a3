// Command zcbench measures the zerocall implementations of the built-in
// kernels on this machine and says which pays off, for which kernel, from
// which size on, through the benchmark kit (package zcbench, whose
// Builtin are its rows). It is a module of its own, so that its plotting
// library and the Wasmtime host are not dependencies of the zerocall
// module; the toolchain command, zerocall, has neither.
//
// Usage:
//
//	zcbench bench [-kernel sum] [-n 100000] [-count 7] [-time 100ms] [-json | -benchfmt]
//	zcbench bench -parallel [-kernel sum] [-n 1000] [-threads 1,2] [-count 7] [-time 100ms] [-json | -benchfmt]
//	zcbench sweep [-kernel sum] [-sizes 1,16,...] [-out dir] [-best] [-noplot] [-json | -benchfmt]
//	zcbench plot [-out dir] [-best] sweep.json...
//
// bench prints, for one kernel and size, one row per implementation: the
// median time per call over -count runs and its spread, the allocations
// per call, and the speed relative to the naive pure-Go loop.
//
// bench -parallel measures the thread-safety options instead: pure Go,
// the straight pass, one handle behind a mutex, a zerocall.Pool of
// handles, and a lock-free handle per goroutine, through cgo, wazero and
// Wasmtime, with 1, 2, 4, ... goroutines (GOMAXPROCS set to each count)
// each calling in a loop on inputs of its own. It prints the time per
// call each goroutine sees, the calls per second of all of them, and the
// scaling from the fewest goroutines to the most.
//
// sweep runs every implementation over a range of sizes, fits each one's
// time per call as a per-call cost plus a per-element cost (per m³ for
// matmul), prints the size from which each foreign path beats the best
// pure-Go path, and plots time per call against size, log-log, as
// <kernel>.svg and <kernel>.png in -out: the families of implementations
// (pure Go, cgo, wazero, wasmtime, and the batched calls of each) in hues
// of their own, the legend beside the data; -best draws only the fastest
// of each family.
//
// plot draws, the same way, sweeps saved as JSON: sweep -json's, or those
// the benchmark kit's Report writes for a kernel of your own
// (zcbench.Options.Out). Each plot is named after its kernel or, when the
// kernel's name is empty or not a plain file name, after its JSON file;
// it refuses two sweeps that would write the same plot.
//
// bench and sweep check every implementation's result against the naive
// pure-Go reference before timing it, and measure the implementations in
// turn within each round, so that a slow moment of the machine is shared. With
// -benchfmt they print Go benchmark lines that benchstat compares across
// machines and commits; with -json, one JSON document.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// verbs are zcbench's verbs, in the order its usage lists them.
var verbs = []cli.Verb{
	{Name: "bench", Summary: "time every implementation of one kernel at one size", Run: benchCmd},
	{Name: "sweep", Summary: "time them over a range of sizes, fit, find crossovers, plot", Run: sweepCmd},
	{Name: "plot", Summary: "draw sweeps saved as JSON (sweep -json, or zcbench.Report's)", Run: func(args []string, _, stderr io.Writer) error { return plotCmd(args, stderr) }},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run runs the verb args[0] on the arguments after it and returns the
// exit status (cli.Run).
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run("zcbench", verbs, args, stdout, stderr)
}

func parseKernel(s string) (*kernel.Kernel, error) {
	for _, k := range builtins {
		if s == k.Name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w: unknown kernel %q (valid: %s)", cli.ErrUsage, s, kernelNames())
}

// checkSize refuses sizes the measured instances cannot take in one call
// (Options.Check of the kernel's benchmark).
func checkSize(o zcbench.Options, n int) error {
	if err := o.Check(n); err != nil {
		return fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	return nil
}

func benchCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("bench", "usage: zcbench bench [-kernel sum] [-n 100000] [-count 7] [-time 100ms] [-json | -benchfmt]\n       zcbench bench -parallel [-kernel sum] [-n 1000] [-threads 1,2] [-count 7] [-time 100ms] [-json | -benchfmt]", stderr)
	common := addMeasureFlags(fs, 7, "timed runs per implementation; the median is reported", 100*time.Millisecond)
	n := fs.Int("n", 100000, "elements, or the order m for matmul")
	parallel := fs.Bool("parallel", false, "measure the thread-safety options instead: goroutines sharing the kernel (default -n 1000, or 64 for matmul)")
	threads := fs.String("threads", "", "with -parallel: comma-separated goroutine counts (default 1, 2, 4, ... up to GOMAXPROCS)")
	k, err := common.parse(fs, args)
	if err != nil {
		return err
	}
	if *parallel && !cli.Set(fs, "n") {
		*n = 1000
		if k == kernel.MatMul {
			*n = 64
		}
	}
	s, o, release, loadErr := benchmark(k, stderr)
	defer release()
	if err := checkSize(o, *n); err != nil {
		return err
	}
	f, err := common.check()
	if err != nil {
		return err
	}
	if *parallel {
		if s.Func == nil {
			return loadErr
		}
		return parallelCmd(s, o, *n, *threads, *common.count, *common.d, f, stdout, stderr)
	}
	if *threads != "" {
		return fmt.Errorf("%w: -threads goes with -parallel", cli.ErrUsage)
	}
	o.N, o.Count, o.Time, o.Progress = *n, *common.count, *common.d, stderr
	res, err := zcbench.Bench(zctest.Spec{}, o)
	if err != nil {
		return err
	}
	return writeReport(stdout, f, res)
}
