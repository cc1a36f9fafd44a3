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

	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/native"
)

// row is one implementation's measurement at one size.
type row struct {
	Impl   string  `json:"impl"`
	Label  string  `json:"label"`
	Notes  string  `json:"notes"`
	Ns     float64 `json:"ns_per_call"`
	Spread float64 `json:"spread"`
	Allocs float64 `json:"allocs_per_call"`
	VsGo   float64 `json:"speedup_vs_go"`
	runs   []sample
}

// benchResult is what bench measured.
type benchResult struct {
	Machine string `json:"machine"`
	Kernel  string `json:"kernel"`
	N       int    `json:"n"`
	Runs    int    `json:"runs"`
	Rows    []row  `json:"rows"`
}

// bench measures every implementation at one size. It is a sweep of one
// size, without the fit.
func bench(k suite.Kernel, n, count int, d time.Duration, progress io.Writer) (*benchResult, error) {
	sw, err := sweep(k, []int{n}, count, d, progress)
	if err != nil {
		return nil, err
	}
	res := &benchResult{Machine: sw.Machine, Kernel: string(k), N: n, Runs: count}
	impls := measured()
	base := sw.Curves[0].Points[0].Ns // the naive Go loop
	for i, c := range sw.Curves {
		p := c.Points[0]
		res.Rows = append(res.Rows, row{Impl: c.Impl, Label: c.Label, Notes: impls[i].Notes,
			Ns: p.Ns, Spread: p.Spread, Allocs: p.Allocs, VsGo: base / p.Ns, runs: p.runs})
	}
	return res, nil
}

// printTable prints the rows as a Markdown table.
func printTable(w io.Writer, res *benchResult) {
	unit := "float64"
	if res.Kernel == string(suite.MatMul) {
		unit = "(the order m)"
	}
	fmt.Fprintf(w, "%s of %d %s, median of %d runs\n%s\n\n", res.Kernel, res.N, unit, res.Runs, res.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Time\t ± (MAD)\t Allocs\t vs Pure Go\t Notes\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	for _, r := range res.Rows {
		fmt.Fprintf(tw, "| %s\t %s\t ±%.0f%%\t %.0f\t %s\t %s\t\n",
			r.Label, formatNs(r.Ns), 100*r.Spread, r.Allocs, ratio(r.VsGo), r.Notes)
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

func kernelName(k suite.Kernel) string { return strings.ToLower(string(k)) }

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
