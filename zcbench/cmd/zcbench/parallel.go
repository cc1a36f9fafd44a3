package main

import (
	"io"
	"time"

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/zcbench"
)

// parallelCmd measures and prints the thread-safety options of built-in
// kernel k, through cgo, wazero and Wasmtime (the SIMD module): pure Go,
// the straight pass, one shared handle, a pool and a handle per goroutine
// (zcbench.Parallel).
func parallelCmd(k suite.Kernel, n int, threads string, count int, d time.Duration, f outputFormat, stdout, stderr io.Writer) error {
	ts, err := parseThreads(threads)
	if err != nil {
		return err
	}
	s, release, err := funcSpec(k)
	defer release()
	if err != nil {
		return err
	}
	o := options(k)
	o.N, o.Threads, o.Count, o.Time, o.Progress = n, ts, count, d, stderr
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
	return parseInts("threads", s, "a count of goroutines", 1)
}
