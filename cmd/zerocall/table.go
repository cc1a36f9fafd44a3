package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/native"
)

// row is one implementation's measurement.
type row struct {
	impl suite.Impl
	stats
}

// benchRows measures every implementation, interleaving their runs so that
// a slow moment of the machine is shared among them instead of landing on
// one.
func benchRows(k suite.Kernel, n, count int, d time.Duration, progress io.Writer) ([]row, error) {
	in := suite.NewInputs(k, n)
	impls := suite.Impls()
	calls := make([]func() error, len(impls))
	for i, impl := range impls {
		inst, err := impl.New()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", impl.Name, err)
		}
		defer func(inst zerocall.Kernels) { _ = inst.Close() }(inst)
		if calls[i], err = suite.Prepare(impl, inst, in); err != nil {
			return nil, err
		}
	}
	samples := make([][]sample, len(impls))
	for rep := range count {
		fmt.Fprintf(progress, "\rrun %d of %d", rep+1, count)
		for i, call := range calls {
			s, err := measure(call, d)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", impls[i].Name, err)
			}
			samples[i] = append(samples[i], s)
		}
	}
	fmt.Fprintln(progress)
	rows := make([]row, len(impls))
	for i := range impls {
		rows[i] = row{impl: impls[i], stats: summarise(samples[i])}
	}
	return rows, nil
}

// printTable prints the rows as a Markdown table, with each row's speed
// relative to the first, the naive pure-Go loop.
func printTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Time\t Spread\t Allocs\t vs Pure Go\t Notes\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	base := rows[0].median
	for _, r := range rows {
		fmt.Fprintf(tw, "| %s\t %s\t ±%.0f%%\t %.0f\t %s\t %s\t\n",
			r.impl.Label, formatNs(r.median), 100*r.spread, r.allocs, ratio(base/r.median), r.impl.Notes)
	}
	tw.Flush()
}

func ratio(x float64) string {
	if x >= 1 {
		return fmt.Sprintf("%.1f× faster", x)
	}
	return fmt.Sprintf("%.1f× slower", 1/x)
}

func formatNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.1fns", ns)
}

// machine describes what the numbers were measured on.
func machine() string {
	return fmt.Sprintf("cpu: %s (%d threads) · C variant: %s · %s %s/%s · wazero %s",
		cpuModel(), runtime.NumCPU(), native.Best(), runtime.Version(), runtime.GOOS, runtime.GOARCH, depVersion("github.com/tetratelabs/wazero"))
}

// depVersion returns the version of a module this binary was built with.
func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "(unknown)"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return "unknown " + runtime.GOARCH
}
