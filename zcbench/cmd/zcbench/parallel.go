package main

import (
	"fmt"
	"io"
	"time"

	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// parallelCmd measures and prints the thread-safety options of the
// built-in kernel of s, through cgo, wazero and Wasmtime (the SIMD module): pure Go,
// the straight pass, one shared handle, a pool and a handle per goroutine
// (zcbench.Parallel).
func parallelCmd(s zctest.Spec, o zcbench.Options, n int, threads string, count int, d time.Duration, f outputFormat, stdout, stderr io.Writer) error {
	ts, err := parseThreads(threads)
	if err != nil {
		return err
	}
	o.Impls, o.N, o.Threads, o.Count, o.Time, o.Progress = nil, n, ts, count, d, stderr
	t, err := zcbench.Parallel(s, o)
	if err != nil {
		return err
	}
	return writeReport(stdout, f, t)
}

// parseThreads parses -threads; nil, when it is empty, is the kit's
// default: 1, 2, 4, ... up to GOMAXPROCS, and GOMAXPROCS.
func parseThreads(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	ns, err := parseInts("threads", s, "a count of goroutines", 1)
	for _, n := range ns {
		if n > 4096 { // as zcbench.Options.Threads
			return nil, fmt.Errorf("%w: -threads: %d goroutines; the kit measures with at most 4096", cli.ErrUsage, n)
		}
	}
	return ns, err
}
