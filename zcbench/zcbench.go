// Package zcbench measures a kernel on every path zerocall gives it, on
// this machine, and says which path pays from which size on: the table
// that `zerocall bench` prints and the sweep, fit and plot that `zerocall
// sweep` draws, for the built-in kernels or for one of your own.
//
// A Spec lists the implementations to compare (Impl), each able to
// prepare a call of a given size. Bench times them at one size and
// returns a Table: median time per call over interleaved runs, its
// spread, allocations per call, and the speed against the first pure-Go
// implementation. Sweep times them over a range of sizes, fits each one's
// time per call as a per-call cost plus a per-unit cost, and finds where
// each foreign path beats every pure-Go one; Plot draws it. Both print as
// Markdown for people, JSON for programs, and Go benchmark lines for
// benchstat.
//
// FuncImpls makes the implementations of a kernel of your own from its
// native.Func and its Go version: the straight pass, the per-call pin,
// the owned handle in place and copying in, over pinned and C-owned
// regions, and Go.
//
// The package lives in a module of its own, so that its plotting library
// is not a dependency of the zerocall packages.
package zcbench

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"
)

// Impl is one implementation of a kernel: a backend and a path through it.
type Impl struct {
	// Name is the implementation in benchmark names: impl=<Name>.
	Name string
	// Label and Notes head its row of the table.
	Label, Notes string
	// Go marks a pure-Go implementation, a baseline that the crossovers
	// are found against. The first one is the table's reference.
	Go bool
	// Family groups it in the plot (FamilyGo, FamilyCgo, ...); when
	// empty, FamilyOf(Name).
	Family string
	// Prepare readies a call at size n: it writes the inputs, checks one
	// result, and returns the call and what releases what it holds (nil
	// if nothing).
	Prepare func(n int) (call func() error, done func(), err error)
	// Calls, if not nil, returns how many calls of the kernel one call
	// of Prepare's makes at size n (a batch's), 1 when nil: times and
	// allocations are per call of the kernel.
	Calls func(n int) int
}

// Spec is what to measure.
type Spec struct {
	// Kernel names the kernel, in titles and benchmark names
	// (Benchmark<Kernel>/n=<N>/impl=<name>).
	Kernel string
	// Impls are the implementations, with at least one pure-Go one.
	Impls []Impl
	// Unit is what a call's work is counted in ("element" when empty).
	Unit string
	// Work returns the work of a call of size n (n when nil), and Size
	// inverts it: a matmul of order m does m³ multiply-adds.
	Work, Size func(float64) float64
	// XLabel labels the size axis of the plot ("n" when empty).
	XLabel string
	// Machine describes what the numbers were measured on (Machine() when
	// empty).
	Machine string
}

func (s *Spec) defaults() error {
	if s.Kernel == "" || len(s.Impls) == 0 {
		return errors.New("zcbench: a Spec needs a Kernel and Impls")
	}
	hasGo := false
	for _, im := range s.Impls {
		hasGo = hasGo || im.Go
	}
	if !hasGo {
		return errors.New("zcbench: a Spec needs a pure-Go implementation to compare against")
	}
	if s.Unit == "" {
		s.Unit = "element"
	}
	if s.Work == nil || s.Size == nil {
		id := func(w float64) float64 { return w }
		s.Work, s.Size = id, id
	}
	if s.XLabel == "" {
		s.XLabel = "n"
	}
	if s.Machine == "" {
		s.Machine = Machine()
	}
	return nil
}

// Point is one implementation's measurement at one size.
type Point struct {
	N      int     `json:"n"`
	Ns     float64 `json:"ns_per_call"`
	Spread float64 `json:"spread"`
	Allocs float64 `json:"allocs_per_call"`
	runs   []sample
}

// Curve is one implementation across the sizes, with its fitted line.
type Curve struct {
	Impl      string  `json:"impl"`
	Label     string  `json:"label"`
	Notes     string  `json:"notes"`
	Go        bool    `json:"pure_go"`
	Family    string  `json:"family"`
	Points    []Point `json:"points"`
	Fit       Model   `json:"fit"`
	Crossover string  `json:"crossover"` // against the best pure-Go path
	cross     crossover
	inRange   bool
}

// Result is everything a sweep measured.
type Result struct {
	Machine string  `json:"machine"`
	Kernel  string  `json:"kernel"`
	Unit    string  `json:"unit"` // what per_unit_ns is per
	Curves  []Curve `json:"curves"`
	spec    Spec
}

// Sweep measures every implementation at every size of ns, count runs of
// about d each, interleaving the implementations within each round, and
// fits each one's line. It reports its progress to progress.
func Sweep(s Spec, ns []int, count int, d time.Duration, progress io.Writer) (*Result, error) {
	if err := s.defaults(); err != nil {
		return nil, err
	}
	if count < 1 || d <= 0 || len(ns) == 0 {
		return nil, errors.New("zcbench: count, d and the sizes must be positive")
	}
	res := &Result{Machine: s.Machine, Kernel: s.Kernel, Unit: s.Unit, spec: s}
	res.Curves = make([]Curve, len(s.Impls))
	for i, im := range s.Impls {
		fam := im.Family
		if fam == "" {
			fam = FamilyOf(im.Name)
		}
		res.Curves[i] = Curve{Impl: im.Name, Label: im.Label, Notes: im.Notes, Go: im.Go, Family: fam}
	}
	start := time.Now()
	for si, n := range ns {
		pts, err := s.size(n, count, d, func(rep int) {
			fmt.Fprintf(progress, "\r%s n=%d (size %d of %d), run %d of %d, %v elapsed   ",
				s.Kernel, n, si+1, len(ns), rep+1, count, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return nil, err
		}
		for i := range pts {
			res.Curves[i].Points = append(res.Curves[i].Points, pts[i])
		}
	}
	fmt.Fprintln(progress)
	if len(ns) > 1 {
		res.fit()
	}
	return res, nil
}

// size measures every implementation at size n, count rounds of about d
// per implementation, and releases what they held.
func (s *Spec) size(n, count int, d time.Duration, round func(rep int)) ([]Point, error) {
	calls := make([]func() error, 0, len(s.Impls))
	var dones []func()
	defer func() {
		for _, done := range dones {
			done()
		}
	}()
	per := make([]int, len(s.Impls)) // kernel calls per call, once per size
	for i, im := range s.Impls {
		call, done, err := im.Prepare(n)
		if err != nil {
			return nil, fmt.Errorf("%s %s n=%d: %w", s.Kernel, im.Name, n, err)
		}
		if done != nil {
			dones = append(dones, done)
		}
		calls = append(calls, call)
		per[i] = 1
		if im.Calls != nil {
			per[i] = im.Calls(n)
		}
	}
	pts := make([]Point, len(calls))
	for rep := range count {
		round(rep)
		for i, call := range calls {
			smp, err := measure(call, d)
			if err != nil {
				return nil, fmt.Errorf("%s %s n=%d: %w", s.Kernel, s.Impls[i].Name, n, err)
			}
			if k := per[i]; k > 1 {
				smp.iters, smp.ns, smp.allocs = smp.iters*k, smp.ns/float64(k), smp.allocs/float64(k)
			}
			pts[i].runs = append(pts[i].runs, smp)
		}
	}
	for i := range pts {
		st := summarise(pts[i].runs)
		pts[i].N, pts[i].Ns, pts[i].Spread, pts[i].Allocs = n, st.median, st.spread, st.allocs
	}
	return pts, nil
}

// fit fits every curve and finds where each foreign path beats all the
// pure-Go ones over the measured range.
func (r *Result) fit() {
	work := r.spec.Work
	var gos []Model
	for i := range r.Curves {
		c := &r.Curves[i]
		var w, t []float64
		for _, p := range c.Points {
			w = append(w, work(float64(p.N)))
			t = append(t, p.Ns)
		}
		c.Fit = fit(w, t)
		if c.Go {
			gos = append(gos, c.Fit)
		}
	}
	pts := r.Curves[0].Points
	lo, hi := work(float64(pts[0].N)), work(float64(pts[len(pts)-1].N))
	for i := range r.Curves {
		c := &r.Curves[i]
		if c.Go {
			c.Crossover = "(pure Go)"
			continue
		}
		c.cross = crossoverOf(c.Fit, gos)
		c.Crossover, c.inRange = c.cross.within(lo, hi, r.spec.Size)
	}
}

// Markdown prints the fits and crossovers as a Markdown table.
func (r *Result) Markdown(w io.Writer) {
	fmt.Fprintf(w, "%s: time per call = per-call cost + per-%s cost × work\n%s\n\n", r.Kernel, r.Unit, r.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Per call\t Per "+r.Unit+"\t Beats the best pure Go at\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t")
	for _, c := range r.Curves {
		fmt.Fprintf(tw, "| %s\t %s\t %.4g ns\t %s\t\n", c.Label, FormatNs(c.Fit.PerCall), c.Fit.PerUnit, c.Crossover)
	}
	tw.Flush()
}

// Benchfmt prints every timed run as a Go benchmark line.
func (r *Result) Benchfmt(w io.Writer) {
	BenchHeader(w, "")
	for _, c := range r.Curves {
		for _, p := range c.Points {
			for _, s := range p.runs {
				benchLine(w, r.Kernel, p.N, c.Impl, s)
			}
		}
	}
}

// Report measures s as a small program of yours would: the table at size
// n (sizeUnit says what n counts, as in Table.Markdown), then the sweep
// over sizes with its crossovers, both printed to w in Markdown, and the
// plot written into dir unless dir is empty. count runs of about d each;
// progress goes to progress.
func Report(w, progress io.Writer, s Spec, n int, sizeUnit string, sizes []int, count int, d time.Duration, dir string) error {
	t, err := Bench(s, n, count, d, progress)
	if err != nil {
		return err
	}
	t.Markdown(w, sizeUnit)
	fmt.Fprintln(w)
	sw, err := Sweep(s, sizes, count, d, progress)
	if err != nil {
		return err
	}
	sw.Markdown(w)
	if dir != "" {
		files, err := sw.Plot(dir)
		if err != nil {
			return err
		}
		fmt.Fprintln(progress, "wrote", strings.Join(files, ", "))
	}
	return nil
}

// Row is one implementation's measurement at the size of a Table.
type Row struct {
	Impl   string  `json:"impl"`
	Label  string  `json:"label"`
	Notes  string  `json:"notes"`
	Ns     float64 `json:"ns_per_call"`
	Spread float64 `json:"spread"`
	Allocs float64 `json:"allocs_per_call"`
	VsGo   float64 `json:"speedup_vs_go"`
	runs   []sample
}

// Table is what Bench measured: one row per implementation at one size.
type Table struct {
	Machine string `json:"machine"`
	Kernel  string `json:"kernel"`
	N       int    `json:"n"`
	Runs    int    `json:"runs"`
	Rows    []Row  `json:"rows"`
	unit    string
}

// Bench measures every implementation at size n: a sweep of one size,
// without the fit. Speeds are against the first pure-Go implementation.
func Bench(s Spec, n, count int, d time.Duration, progress io.Writer) (*Table, error) {
	if err := s.defaults(); err != nil {
		return nil, err
	}
	sw, err := Sweep(s, []int{n}, count, d, progress)
	if err != nil {
		return nil, err
	}
	t := &Table{Machine: sw.Machine, Kernel: s.Kernel, N: n, Runs: count, unit: s.Unit}
	base := math.NaN()
	for _, c := range sw.Curves {
		if c.Go {
			base = c.Points[0].Ns
			break
		}
	}
	for _, c := range sw.Curves {
		p := c.Points[0]
		t.Rows = append(t.Rows, Row{Impl: c.Impl, Label: c.Label, Notes: c.Notes,
			Ns: p.Ns, Spread: p.Spread, Allocs: p.Allocs, VsGo: base / p.Ns, runs: p.runs})
	}
	return t, nil
}

// Markdown prints the table in Markdown, headed by the machine line.
func (t *Table) Markdown(w io.Writer, sizeUnit string) {
	if sizeUnit == "" {
		sizeUnit = t.unit + "s"
	}
	fmt.Fprintf(w, "%s of %d %s, median of %d runs\n%s\n\n", t.Kernel, t.N, sizeUnit, t.Runs, t.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Time\t ± (MAD)\t Allocs\t vs Pure Go\t Notes\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	for _, r := range t.Rows {
		fmt.Fprintf(tw, "| %s\t %s\t ±%.0f%%\t %.0f\t %s\t %s\t\n",
			r.Label, FormatNs(r.Ns), 100*r.Spread, r.Allocs, ratio(r.VsGo), r.Notes)
	}
	tw.Flush()
}

// Benchfmt prints every timed run as a Go benchmark line.
func (t *Table) Benchfmt(w io.Writer) {
	BenchHeader(w, "")
	for _, r := range t.Rows {
		for _, s := range r.runs {
			benchLine(w, t.Kernel, t.N, r.Impl, s)
		}
	}
}

func ratio(x float64) string {
	if x >= 1 {
		return fmt.Sprintf("%.1f× faster", x)
	}
	return fmt.Sprintf("%.1f× slower", 1/x)
}

// FormatNs formats a time in nanoseconds with a unit that suits it.
func FormatNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.1fns", ns)
}

// BenchHeader prints the configuration lines benchstat groups results
// by; pkg names the package ("github.com/zerocall/zerocall" when empty).
func BenchHeader(w io.Writer, pkg string) {
	if pkg == "" {
		pkg = "github.com/zerocall/zerocall"
	}
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: %s\ncpu: %s\n", runtime.GOOS, runtime.GOARCH, pkg, CPUModel())
}

// benchLine prints one run in the form `go test -bench` does, under the
// benchmark naming contract.
func benchLine(w io.Writer, kernel string, n int, impl string, s sample) {
	fmt.Fprintf(w, "Benchmark%s/n=%d/impl=%s\t%d\t%.4g ns/op\t%.4g allocs/op\n", kernel, n, impl, s.iters, s.ns, s.allocs)
}

// Machine describes what the numbers are measured on: the CPU, the C
// variant the dispatcher chose, Go, and wazero when the program has it.
func Machine() string {
	m := fmt.Sprintf("cpu: %s (%d threads) · C variant: %s · %s %s/%s",
		CPUModel(), runtime.NumCPU(), bestVariant(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if v := DepVersion("github.com/tetratelabs/wazero"); v != "" {
		m += " · wazero " + v
	}
	return m
}

// DepVersion returns the version of a module this binary was built with,
// or "" if it was not.
func DepVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return ""
}

// CPUModel returns the CPU's model name.
func CPUModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(b)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return "unknown " + runtime.GOARCH
}
