package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
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

// work is what a call's cost grows with: m³ for matmul, n otherwise.
func work(k suite.Kernel, n int) float64 {
	if k == suite.MatMul {
		return float64(n) * float64(n) * float64(n)
	}
	return float64(n)
}

// sizeOf inverts work.
func sizeOf(k suite.Kernel) func(w float64) float64 {
	if k == suite.MatMul {
		return math.Cbrt
	}
	return func(w float64) float64 { return w }
}

// point is one size's measurement.
type point struct {
	N      int     `json:"n"`
	Ns     float64 `json:"ns_per_call"`
	Spread float64 `json:"spread"`
	Allocs float64 `json:"allocs_per_call"`
	runs   []sample
}

// curve is one implementation across the sizes, with its fitted line.
type curve struct {
	Impl      string  `json:"impl"`
	Label     string  `json:"label"`
	Go        bool    `json:"pure_go"`
	Points    []point `json:"points"`
	Fit       model   `json:"fit"`
	Crossover string  `json:"crossover"` // against the best pure-Go path
	cross     crossover
	inRange   bool
}

// sweepResult is everything a sweep measured.
type sweepResult struct {
	Machine string  `json:"machine"`
	Kernel  string  `json:"kernel"`
	Unit    string  `json:"unit"` // what per_unit_ns is per
	Curves  []curve `json:"curves"`
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
	res, err := sweep(k, ns, *count, *d, stderr)
	if err != nil {
		return err
	}
	if !*noPlot {
		files, err := plotSweep(res, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", strings.Join(files, ", "))
	}
	switch f {
	case formatJSON:
		return writeJSON(stdout, res)
	case formatBench:
		return writeSweepBench(stdout, res)
	}
	printSweep(stdout, res)
	return nil
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

// sweep measures every implementation at every size, interleaving the
// implementations within each size, and fits each one's line.
func sweep(k suite.Kernel, ns []int, count int, d time.Duration, progress io.Writer) (*sweepResult, error) {
	impls := measured()
	insts := make([]zerocall.Kernels, len(impls))
	for i, impl := range impls {
		inst, err := impl.New()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", impl.Name, err)
		}
		defer inst.Close()
		insts[i] = inst
	}
	res := &sweepResult{Machine: machine(), Kernel: string(k), Unit: "element"}
	if k == suite.MatMul {
		res.Unit = "m³ (one multiply-add)"
	}
	res.Curves = make([]curve, len(impls))
	for i, impl := range impls {
		res.Curves[i] = curve{Impl: impl.Name, Label: impl.Label, Go: isGo(impl)}
	}
	start := time.Now()
	for si, n := range ns {
		in := suite.NewInputs(k, n)
		calls := make([]func() error, len(impls))
		for i, impl := range impls {
			var err error
			if calls[i], err = suite.Prepare(impl, insts[i], in); err != nil {
				return nil, err
			}
		}
		pts := make([]point, len(impls))
		for rep := range count {
			fmt.Fprintf(progress, "\r%s n=%d (size %d of %d), run %d of %d, %v elapsed   ",
				k, n, si+1, len(ns), rep+1, count, time.Since(start).Round(time.Second))
			for i, call := range calls {
				s, err := measure(call, d)
				if err != nil {
					return nil, fmt.Errorf("%s n=%d: %w", impls[i].Name, n, err)
				}
				pts[i].runs = append(pts[i].runs, s)
			}
		}
		for i := range pts {
			st := summarise(pts[i].runs)
			pts[i].N, pts[i].Ns, pts[i].Spread, pts[i].Allocs = n, st.median, st.spread, st.allocs
			res.Curves[i].Points = append(res.Curves[i].Points, pts[i])
		}
	}
	fmt.Fprintln(progress)
	res.fit(k)
	return res, nil
}

// suiteKernel converts a kernel's name back.
func suiteKernel(s string) suite.Kernel { return suite.Kernel(s) }

// isGo reports whether an implementation is pure Go.
func isGo(impl suite.Impl) bool { return impl.Name == "go" || impl.Name == "go-unrolled" }

// fit fits every curve and finds where each foreign path beats all the
// pure-Go ones over the measured range.
func (r *sweepResult) fit(k suite.Kernel) {
	var gos []model
	for i := range r.Curves {
		c := &r.Curves[i]
		var w, t []float64
		for _, p := range c.Points {
			w = append(w, work(k, p.N))
			t = append(t, p.Ns)
		}
		c.Fit = fit(w, t)
		if c.Go {
			gos = append(gos, c.Fit)
		}
	}
	lo, hi := work(k, r.Curves[0].Points[0].N), work(k, r.Curves[0].Points[len(r.Curves[0].Points)-1].N)
	for i := range r.Curves {
		c := &r.Curves[i]
		if c.Go {
			c.Crossover = "(pure Go)"
			continue
		}
		c.cross = crossoverOf(c.Fit, gos)
		c.Crossover, c.inRange = c.cross.within(lo, hi, sizeOf(k))
	}
}

// printSweep prints the fits and crossovers as a Markdown table.
func printSweep(w io.Writer, r *sweepResult) {
	fmt.Fprintf(w, "%s: time per call = per-call cost + per-%s cost × work\n%s\n\n", r.Kernel, r.Unit, r.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Per call\t Per "+r.Unit+"\t Beats the best pure Go at\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t")
	for _, c := range r.Curves {
		fmt.Fprintf(tw, "| %s\t %s\t %.4g ns\t %s\t\n", c.Label, formatNs(c.Fit.PerCall), c.Fit.PerUnit, c.Crossover)
	}
	tw.Flush()
}

// errNoCurves is returned when a sweep has nothing to plot.
var errNoCurves = errors.New("no measurements to plot")
