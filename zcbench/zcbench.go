// Package zcbench measures a kernel on every path zerocall gives it, on
// this machine, and says which path pays from which size on: the table
// that `zcbench bench` prints and the sweep and fit that `zcbench sweep`
// prints and plots, for the built-in kernels (Builtin) or for one of your
// own.
//
// A kernel of your own is described as zctest describes it, by a
// zctest.Spec: its Func, more implementations of it in Also (its wasm
// module on another engine, its Go assembly translation), its Go version
// Ref, the lengths (Lens) and scalars (Args) of a call of size n, and the
// Tolerance its outputs are checked with. Options say how to measure: the
// size of the table, the sizes of the sweep, the runs, where progress and
// the sweep's JSON go. The same Spec that tests the kernel measures it:
//
//	s := zctest.Spec{Func: f, Also: []zctest.Func{af}, Ref: saxpyGo}
//	err := zcbench.Report(os.Stdout, s, zcbench.Options{N: 4096, Sizes: []int{16, 256, 4096, 65536}})
//
// Impls finds the rows from what each Func has, as zctest finds its
// paths: the one-shot Call on your slices, the per-call pin, a handle in
// each kind of memory its host has (copying your slices, and in place on
// views of its regions), and a batch; each is checked against Ref before
// it is timed. Sweep times them over a range of sizes, and Bench at one:
// the median time per call over interleaved runs, its spread, allocations
// per call and the speed against the first pure-Go row, in a Result.
// Sweep also fits each row's time per call as a per-call cost plus a
// per-unit cost, and finds where each foreign path beats every pure-Go
// one; the zcbench command draws it (zcbench plot, from its JSON).
// Parallel measures goroutines sharing the kernel instead. All print as
// Markdown for people, JSON for programs, and Go benchmark lines for
// benchstat.
//
// Rows of your own (an Impl each, in Options.Impls) replace the Spec's:
// edit what Impls returns, or prepare calls any other way, as Builtin
// does for the built-in kernels.
//
// The package has no dependency outside the zerocall module: the plots,
// and the Wasmtime rows of the built-ins, are the zcbench command's
// (module github.com/zerocall/zerocall/zcbench/cmd/zcbench).
package zcbench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/zerocall/zerocall/internal/fit"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/machine"
	hooks "github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// maxThreads is the most goroutines Options.Threads may ask for.
const maxThreads = 4096

// Options say how to measure a kernel, and what to call it.
type Options struct {
	// Name names the kernel in titles and benchmark names
	// (Benchmark<Name>/n=<N>/impl=<row>); empty means the name in the
	// kernel's description.
	Name string

	// N is the size Bench and Parallel measure at, and Report's table;
	// SizeUnit says what it counts in the table's title (the Unit, in
	// the plural, when empty).
	N        int
	SizeUnit string
	// Sizes are the sizes Sweep measures at, in any order (it measures
	// them rising, once each); it fits a line through two or more.
	Sizes []int
	// Threads are the counts of goroutines Parallel measures with, in
	// any order (it measures them rising, once each), at most 4096 (a
	// goroutine in a cgo call holds a thread, and a Go program has at
	// most 10000); nil means 1, 2, 4, ... up to GOMAXPROCS, and
	// GOMAXPROCS.
	Threads []int

	// Count is the number of timed runs of each row at each size, the
	// median kept (5 when 0); Time is how long each run lasts (20ms when
	// 0). The rows take turns within each round, so that a slow moment of
	// the machine is shared.
	Count int
	Time  time.Duration
	// Progress receives a line of progress as the runs go; nil means
	// none.
	Progress io.Writer

	// Out is the directory Report writes the sweep into, as
	// <name>.json (the name in lower case), which the zcbench command
	// draws (zcbench plot); empty means none.
	Out string

	// Unit is what a call's work is counted in ("element" when empty).
	Unit string
	// Work returns the work of a call of size n (n when nil), and Size
	// inverts it: a matmul of order m does m³ multiply-adds. Set both
	// or neither.
	Work, Size func(float64) float64
	// XLabel labels the size axis of the plot ("n" when empty).
	XLabel string
	// Machine describes what the numbers were measured on; empty means
	// this machine: its CPU, the C variant the dispatcher chose (which the
	// built-ins run; for a kernel of your own, also the variant its native
	// and asm Funcs run, or that they run its one build), Go, and wazero
	// when the program has it.
	Machine string

	// Inputs, if not nil, returns the buffers of a call of size n, one
	// slice per buffer of the kernel in declared order (their lengths are
	// the call's; Spec.Lens is not used), in place of the data the kit
	// makes: values in [-2, 2), the same on every run, converted to each
	// buffer's type. Each row calls it for each size and checks its first
	// call against Spec.Ref on a copy of the same data, so Inputs need not
	// return the same data every time; rows compare best when it does.
	Inputs func(n int) []kernel.Slice

	// Impls, if not nil, are the rows measured, in place of the Spec's
	// (Impls): with at least one pure-Go row.
	Impls []Impl

	// Check, if not nil, refuses a size the rows cannot take (Builtin's
	// take what their instances hold): Bench, Sweep, Parallel and Report
	// call it on N and each of Sizes before they measure anything.
	Check func(n int) error

	variant string // the C variants, as the header of Benchfmt says them
}

// Impl is one row: a way of calling the kernel, prepared at each size.
type Impl struct {
	// Name is the row in benchmark names: impl=<Name>, one name a row,
	// not ending in a dash and digits (which a benchmark line's reader
	// takes for GOMAXPROCS). It also puts a row that is not pure Go (Go)
	// in a family of the plot: Go assembly ("asm…"), wasmtime
	// ("wasmtime…"), wazero ("wasm…", "wazero…"), batched (any name with
	// "batch"), and cgo for the rest.
	Name string
	// Label and Notes head its row of the table.
	Label, Notes string
	// Go marks a pure-Go row, a baseline that the crossovers are found
	// against. The first one is the table's reference.
	Go bool
	// Prepare readies a call at size n: it writes the inputs, checks one
	// result, and returns the call and what releases what it holds (nil
	// if nothing).
	Prepare func(n int) (call func() error, done func(), err error)
	// Calls, if not nil, returns how many calls of the kernel one call
	// of Prepare's makes at size n (a batch's), 1 when nil: times and
	// allocations are per call of the kernel. Fewer than 1 is an error.
	Calls func(n int) int
}

// measurement is what Bench, Sweep and Report measure: the rows, and
// the options with their defaults.
type measurement struct {
	name  string
	impls []Impl
	o     Options
}

// plan resolves s and o into the rows and the options with defaults.
func plan(s zctest.Spec, o Options) (m *measurement, err error) {
	m = &measurement{name: o.Name, impls: o.Impls}
	if m.name == "" && s.Func != nil {
		m.name = s.Func.Kernel().Name
	}
	if m.impls == nil {
		if s.Func == nil || s.Ref == nil {
			return nil, errors.New("zcbench: the Spec needs a Func and a Ref, or the Options Impls")
		}
		if err := hooks.ValidateSpec(s); err != nil {
			return nil, fmt.Errorf("zcbench: %w", err)
		}
		m.impls = Impls(s, o)
	}
	if m.name != "" && (!filepath.IsLocal(m.name) || strings.ContainsAny(m.name, `/\`) || strings.HasPrefix(m.name, ".")) {
		// As the zcbench command's plot takes it.
		return nil, fmt.Errorf("zcbench: the name %q has a path in it, or starts with a dot; it names the sweep's file in Options.Out", m.name)
	}
	if m.name == "" {
		return nil, errors.New("zcbench: the Options need a Name")
	}
	hasGo := false
	for i, im := range m.impls {
		switch {
		case im.Prepare == nil:
			return nil, fmt.Errorf("zcbench: %s: row %q has no Prepare", m.name, im.Name)
		case slices.ContainsFunc(m.impls[:i], func(o Impl) bool { return o.Name == im.Name }):
			return nil, fmt.Errorf("zcbench: %s: two rows are named %q; a benchmark line names its row", m.name, im.Name)
		case procsSuffix.MatchString(im.Name):
			return nil, fmt.Errorf("zcbench: %s: row %q ends in a dash and digits, which a benchmark line's reader takes for GOMAXPROCS", m.name, im.Name)
		}
		hasGo = hasGo || im.Go
	}
	if !hasGo {
		return nil, errors.New("zcbench: no pure-Go row to compare against")
	}
	if m.o, err = o.settle(s, m.name); err != nil {
		return nil, err
	}
	return m, nil
}

// procsSuffix matches a row name that a benchmark line's reader would
// split into a name and GOMAXPROCS.
var procsSuffix = regexp.MustCompile(`-[0-9]+$`)

// settle checks o's sizes (Check) for the measurement of s, which name
// names, and returns o with its defaults and the machine it runs on.
func (o Options) settle(s zctest.Spec, name string) (Options, error) {
	// Size inverts Work: one without the other would fit per element
	// what the caller asked to fit per unit of work.
	if (o.Work == nil) != (o.Size == nil) {
		return o, fmt.Errorf("zcbench: %s: Work and Size go together, Size the inverse of Work: set both or neither", name)
	}
	for _, n := range o.Sizes {
		if n < 1 {
			return o, fmt.Errorf("zcbench: %s: a size of %d; the sizes must be positive", name, n)
		}
	}
	for _, n := range o.Threads {
		if n < 1 || n > maxThreads {
			return o, fmt.Errorf("zcbench: %s: %d goroutines; the counts must be from 1 to %d", name, n, maxThreads)
		}
	}
	if o.Check != nil {
		for _, n := range append(slices.Clip(o.Sizes), o.N) {
			if n == 0 {
				continue // N unset, for a sweep
			}
			if err := o.Check(n); err != nil {
				return o, fmt.Errorf("zcbench: %s at n = %d: %w", name, n, err)
			}
		}
	}
	o = o.defaults()
	// Rising and distinct: the fit's range, the crossovers and the plot's
	// lines read them so, and Parallel's scaling runs from the first count
	// of goroutines to the last.
	o.Sizes = slices.Compact(slices.Sorted(slices.Values(o.Sizes)))
	o.Threads = slices.Compact(slices.Sorted(slices.Values(o.Threads)))
	o.variant = variantOf(s)
	if o.Machine == "" {
		o.Machine = machineOf(o.variant)
	}
	return o, nil
}

// builtin reports whether k is one of the built-in kernels, which run
// the variant the dispatcher chose.
func builtin(k *kernel.Kernel) bool {
	_, ok := suiteKernel(k)
	return ok
}

// defaults returns o with the defaults of its empty fields.
func (o Options) defaults() Options {
	if o.Count == 0 {
		o.Count = 5
	}
	if o.Time == 0 {
		o.Time = 20 * time.Millisecond
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Unit == "" {
		o.Unit = "element"
	}
	if o.SizeUnit == "" {
		o.SizeUnit = o.Unit + "s"
	}
	if o.Work == nil || o.Size == nil {
		id := func(w float64) float64 { return w }
		o.Work, o.Size = id, id
	}
	if o.XLabel == "" {
		o.XLabel = "n"
	}
	return o
}

// Point is one row's measurement at one size.
type Point struct {
	N      int     `json:"n"`
	Ns     float64 `json:"ns_per_call"`
	Spread float64 `json:"spread"`
	// Allocs are the allocations of a call, the least of the runs: whole
	// ones per call of the row, over the calls of the kernel it makes
	// (Impl.Calls), so a fraction for a batch that allocates per crossing.
	Allocs float64 `json:"allocs_per_call"`
	// VsGo is the speed against the first pure-Go row at this size: its
	// time per call over this row's.
	VsGo float64 `json:"speedup_vs_go"`
	runs []sample
}

// The families of rows (Curve.Family), which the plots group by hue.
const (
	familyGo       = "pure Go"
	familyCgo      = "cgo"
	familyWazero   = "wazero"
	familyWasmtime = "wasmtime"
	familyBatched  = "batched"
	familyAsm      = "Go asm"
)

// familyOf returns the family of row im: pure Go if it is one (Impl.Go),
// and otherwise by its name: a batched one ("batch" in its name), the C
// kernels as Go assembly ("asm…"), wasmtime, wazero ("wasm…",
// "wazero…"), and cgo for the rest.
func familyOf(im Impl) string {
	name := im.Name
	switch {
	case im.Go:
		return familyGo
	case strings.Contains(name, "batch"):
		return familyBatched
	case strings.HasPrefix(name, "asm"):
		return familyAsm
	case strings.HasPrefix(name, "wasmtime"):
		return familyWasmtime
	case strings.HasPrefix(name, "wasm"), strings.HasPrefix(name, "wazero"):
		return familyWazero
	}
	return familyCgo
}

// Curve is one row across the sizes, with its fitted line.
type Curve struct {
	Impl   string  `json:"impl"`
	Label  string  `json:"label"`
	Notes  string  `json:"notes"`
	Go     bool    `json:"pure_go"`
	Family string  `json:"family"`
	Points []Point `json:"points"`
	// Fit is the cost of one call as a line in the work it does:
	// PerCall + PerUnit·work nanoseconds, where the work is n for the O(n)
	// kernels and m³ for matmul (Options.Work).
	Fit struct {
		PerCall float64 `json:"per_call_ns"`
		PerUnit float64 `json:"per_unit_ns"`
	} `json:"fit"`
	Crossover string `json:"crossover"` // against the best pure-Go path
	// Beats says whether the fitted line lies below the best pure-Go
	// path's anywhere in the measured range, and CrossAt where it crosses
	// below it (the size and the time per call there), if it does so
	// within the range rather than from its start.
	Beats   bool `json:"beats_go"`
	CrossAt struct {
		N  float64 `json:"n"`
		Ns float64 `json:"ns_per_call"`
	} `json:"crossover_at"`
}

// Result is everything a sweep, or a bench of one size, measured.
type Result struct {
	Machine string  `json:"machine"`
	Kernel  string  `json:"kernel"`
	Runs    int     `json:"runs"`    // per row and size (Options.Count)
	Unit    string  `json:"unit"`    // what per_unit_ns is per
	XLabel  string  `json:"x_label"` // what the sizes are (Options.XLabel)
	Curves  []Curve `json:"curves"`
	o       Options
}

// Sweep measures every row at every size of o.Sizes, o.Count runs of
// about o.Time each, interleaving the rows within each round, and fits
// each one's line. The rows are o.Impls, or the Spec's (Impls).
func Sweep(s zctest.Spec, o Options) (*Result, error) {
	m, err := plan(s, o)
	if err != nil {
		return nil, err
	}
	return m.sweep(m.o.Sizes)
}

var errNoSizes = errors.New("zcbench: no Options.Sizes to sweep")

// sweep measures the rows at sizes ns.
func (m *measurement) sweep(ns []int) (*Result, error) {
	o := m.o
	if len(ns) == 0 {
		return nil, errNoSizes
	}
	if o.Count < 1 || o.Time <= 0 {
		return nil, errors.New("zcbench: Count, Time and the sizes must be positive")
	}
	res := &Result{Machine: o.Machine, Kernel: m.name, Runs: o.Count, Unit: o.Unit, XLabel: o.XLabel, o: o}
	res.Curves = make([]Curve, len(m.impls))
	for i, im := range m.impls {
		res.Curves[i] = Curve{Impl: im.Name, Label: im.Label, Notes: im.Notes, Go: im.Go, Family: familyOf(im)}
	}
	start := time.Now()
	for si, n := range ns {
		pts, err := m.size(n, func(rep int) {
			fmt.Fprintf(o.Progress, "\r%s n=%d (size %d of %d), run %d of %d, %v elapsed   ",
				m.name, n, si+1, len(ns), rep+1, o.Count, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return nil, err
		}
		base := math.NaN()
		if i := slices.IndexFunc(m.impls, func(im Impl) bool { return im.Go }); i >= 0 {
			base = pts[i].Ns
		}
		for i := range pts {
			pts[i].VsGo = base / pts[i].Ns
			res.Curves[i].Points = append(res.Curves[i].Points, pts[i])
		}
	}
	fmt.Fprintln(o.Progress)
	if len(ns) > 1 {
		res.fit()
	}
	return res, nil
}

// size measures every row at size n, o.Count rounds of about o.Time per
// row, and releases what they held.
func (m *measurement) size(n int, round func(rep int)) ([]Point, error) {
	calls := make([]func() error, 0, len(m.impls))
	var dones []func()
	defer func() {
		for _, done := range dones {
			done()
		}
	}()
	per := make([]int, len(m.impls)) // kernel calls per call, once per size
	for i, im := range m.impls {
		call, done, err := im.Prepare(n)
		if err != nil {
			return nil, fmt.Errorf("%s %s n=%d: %w", m.name, im.Name, n, err)
		}
		if done != nil {
			dones = append(dones, done)
		}
		if call == nil {
			return nil, fmt.Errorf("%s %s n=%d: Prepare gave no call", m.name, im.Name, n)
		}
		calls = append(calls, call)
		per[i] = 1
		if im.Calls != nil {
			if per[i] = im.Calls(n); per[i] < 1 {
				return nil, fmt.Errorf("%s %s n=%d: Calls gave %d calls of the kernel per call, not at least 1", m.name, im.Name, n, per[i])
			}
		}
	}
	pts := make([]Point, len(calls))
	for rep := range m.o.Count {
		round(rep)
		for i, call := range calls {
			smp, err := measure(call, m.o.Time)
			if err != nil {
				return nil, fmt.Errorf("%s %s n=%d: %w", m.name, m.impls[i].Name, n, err)
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
	work := r.o.Work
	var gos []model
	for i := range r.Curves {
		c := &r.Curves[i]
		var w, t []float64
		for _, p := range c.Points {
			w = append(w, work(float64(p.N)))
			t = append(t, p.Ns)
		}
		c.Fit = fit.Fit(w, t)
		if c.Go {
			gos = append(gos, c.Fit)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1) // the measured range, in work
	for _, p := range r.Curves[0].Points {
		lo, hi = min(lo, work(float64(p.N))), max(hi, work(float64(p.N)))
	}
	for i := range r.Curves {
		c := &r.Curves[i]
		if c.Go {
			c.Crossover = "(pure Go)"
			continue
		}
		cross := crossoverOf(c.Fit, gos)
		c.Crossover, c.Beats = cross.within(lo, hi, r.o.Size)
		if at := model(c.Fit).At(cross.From); c.Beats && cross.From > lo && at > 0 {
			c.CrossAt.N, c.CrossAt.Ns = r.o.Size(cross.From), at
		}
	}
}

// Markdown prints the fits and crossovers as a Markdown table, or, for
// a Result of one size (Bench), the rows' times; a nil Result prints
// nothing.
func (r *Result) Markdown(w io.Writer) {
	if r == nil {
		return
	}
	if len(r.Curves) > 0 && len(r.Curves[0].Points) == 1 {
		r.table(w)
		return
	}
	fmt.Fprintf(w, "%s: time per call = per-call cost + per-%s cost × work\n%s\n\n", r.Kernel, r.Unit, r.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Per call\t Per "+r.Unit+"\t Beats the best pure Go at\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t")
	for _, c := range r.Curves {
		fmt.Fprintf(tw, "| %s\t %s\t %.4g ns\t %s\t\n", c.Label, formatNs(c.Fit.PerCall), c.Fit.PerUnit, c.Crossover)
	}
	tw.Flush()
}

// Benchfmt prints every timed run as a Go benchmark line (none for a
// Result read from JSON, which keeps no runs, or a nil one).
func (r *Result) Benchfmt(w io.Writer) {
	if r == nil {
		return
	}
	benchHeader(w, r.o.variant)
	for _, c := range r.Curves {
		for _, p := range c.Points {
			for _, s := range p.runs {
				benchLine(w, r.Kernel, p.N, c.Impl, s)
			}
		}
	}
}

// Report measures s as a small program of yours would: the table at size
// o.N, then the sweep over o.Sizes with its crossovers, both printed to w
// in Markdown, and the sweep written into o.Out as JSON unless it is
// empty (the file named on o.Progress). The rows are o.Impls, or the
// Spec's (Impls).
func Report(w io.Writer, s zctest.Spec, o Options) error {
	m, err := plan(s, o)
	if err != nil {
		return err
	}
	// What the sweep needs is checked before the table is measured.
	if len(m.o.Sizes) == 0 {
		return errNoSizes
	}
	if m.o.Out != "" {
		if err := os.MkdirAll(m.o.Out, 0o755); err != nil {
			return fmt.Errorf("zcbench: Options.Out: %w", err)
		}
	}
	t, err := m.bench()
	if err != nil {
		return err
	}
	t.Markdown(w)
	fmt.Fprintln(w)
	sw, err := m.sweep(m.o.Sizes)
	if err != nil {
		return err
	}
	sw.Markdown(w)
	if m.o.Out == "" {
		return nil
	}
	b, err := json.MarshalIndent(sw, "", "  ")
	if err != nil {
		return err
	}
	file := filepath.Join(m.o.Out, strings.ToLower(sw.Kernel)+".json")
	if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("zcbench: %w", err)
	}
	fmt.Fprintln(m.o.Progress, "wrote", file)
	return nil
}

// Bench measures every row at size o.N: a sweep of one size, without the
// fit, whose Markdown is the table of times, spreads, allocations and
// speeds against the first pure-Go row. The rows are o.Impls, or the
// Spec's (Impls).
func Bench(s zctest.Spec, o Options) (*Result, error) {
	m, err := plan(s, o)
	if err != nil {
		return nil, err
	}
	return m.bench()
}

// bench measures the rows at size o.N.
func (m *measurement) bench() (*Result, error) {
	if m.o.N < 1 {
		return nil, errors.New("zcbench: Options.N must be positive")
	}
	return m.sweep([]int{m.o.N})
}

// table prints r, of one size, as the table of its rows.
func (r *Result) table(w io.Writer) {
	n := r.Curves[0].Points[0].N
	fmt.Fprintf(w, "%s of %d %s, median of %d runs\n%s\n\n", r.Kernel, n, r.o.SizeUnit, r.Runs, r.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| Implementation\t Time\t ± (MAD)\t Allocs\t vs Pure Go\t Notes\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	for _, c := range r.Curves {
		if len(c.Points) == 0 {
			continue // in a Result read from JSON, a curve may have none
		}
		p := c.Points[0]
		fmt.Fprintf(tw, "| %s\t %s\t ±%.0f%%\t %s\t %s\t %s\t\n",
			c.Label, formatNs(p.Ns), 100*p.Spread, allocsOf(p.Allocs), ratio(p.VsGo), c.Notes)
	}
	tw.Flush()
}

// allocsOf formats allocations per call: whole ones as such, and the
// fraction of a batch's allocation per crossing (Point.Allocs) as one,
// so that it does not read as none.
func allocsOf(a float64) string {
	if a == math.Trunc(a) {
		return fmt.Sprintf("%.0f", a)
	}
	return fmt.Sprintf("%.2g", a)
}

func ratio(x float64) string {
	if x >= 1 {
		return fmt.Sprintf("%.1f× faster", x)
	}
	return fmt.Sprintf("%.1f× slower", 1/x)
}

// formatNs formats a time in nanoseconds with a unit that suits it.
func formatNs(ns float64) string { return scaled(ns, "%.1fns", "%.1fµs", "%.2fms") }

// scaled formats v with the first format, or over a thousand with the
// second (v/10³), or over a million with the third (v/10⁶).
func scaled(v float64, one, thousand, million string) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf(million, v/1e6)
	case v >= 1e3:
		return fmt.Sprintf(thousand, v/1e3)
	}
	return fmt.Sprintf(one, v)
}

// benchHeader prints the configuration lines benchstat groups results
// by: the C variant is variant, as the table's header says it (the
// built-ins', and the variants a kernel of your own ran: variantOf).
func benchHeader(w io.Writer, variant string) {
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/zerocall/zerocall\ncpu: %s\nvariant: %s\n",
		runtime.GOOS, runtime.GOARCH, machine.CPU(), variant)
}

// benchLine prints one run in the form `go test -bench` does, under the
// benchmark naming contract.
func benchLine(w io.Writer, kernel string, n int, impl string, s sample) {
	fmt.Fprintf(w, "Benchmark%s/n=%d/impl=%s\t%d\t%.4g ns/op\t%.4g allocs/op\n", benchName(kernel), n, benchName(impl), s.iters, s.ns, s.allocs)
}

// benchName is s as a part of a benchmark line's name: white space, which
// would end the name, turned into underscores, as the testing package
// turns the names of subtests.
func benchName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return '_'
		}
		return r
	}, s)
}

// machineOf describes what the numbers are measured on: the CPU, the C
// variants run (variantOf), Go, and wazero when the program has it.
func machineOf(variant string) string {
	m := fmt.Sprintf("cpu: %s (%d threads) · C variant: %s · %s %s/%s",
		machine.CPU(), runtime.NumCPU(), variant, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if v := machine.Version("github.com/tetratelabs/wazero"); v != "" {
		m += " · wazero " + v
	}
	return m
}

// variantOf is the C variant the dispatcher chose, which the built-ins
// run, and for a kernel of your own, the builds its Funcs run
// (userVariants).
func variantOf(s zctest.Spec) string {
	variant := cVariant()
	if s.Func != nil && !builtin(s.Func.Kernel()) {
		variant += " for the built-ins, " + userVariants(s)
	}
	return variant
}

// userVariants says which build of a kernel of the user's the native and
// asm Funcs of s run: the variants chosen from its table of variants
// (native.NewVariant, asm.NewVariant), or its one build.
func userVariants(s zctest.Spec) string {
	var vs []string
	one, wasm := false, false
	for _, f := range append([]zctest.Func{s.Func}, s.Also...) {
		if h := funcs.Host(f); h != "cgo" && h != "dlopen" && h != "asm" {
			wasm = wasm || funcs.Runtime(f) != ""
			continue
		}
		if v, _, ok := funcs.Variant(f); !ok {
			one = true
		} else if !slices.Contains(vs, v.String()) {
			vs = append(vs, v.String())
		}
	}
	name := s.Func.Kernel().Name
	switch {
	case len(vs) == 0 && !one && wasm:
		return "a wasm module of " + name
	case len(vs) == 0:
		return "the one build of " + name
	case one:
		return strings.Join(vs, ", ") + " and the one build of " + name
	}
	return strings.Join(vs, ", ") + " for " + name
}
