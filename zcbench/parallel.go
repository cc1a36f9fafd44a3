package zcbench

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	hooks "github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// parallelImpl is one way for goroutines to share a kernel: one of the
// thread-safety options.
type parallelImpl struct {
	// name is the option in benchmark names: impl=<name>.
	name string
	// label and notes head its row of the table.
	label, notes string
	// prepare readies the option at size n: what the goroutines share,
	// and worker, which each goroutine calls once, before its loop, for
	// its own call (on inputs of its own) and what releases it.
	prepare func(n int) (worker func() (call func() error, release func(), err error), done func(), err error)
}

// ParallelRow is one option's measurement at each goroutine count.
type ParallelRow struct {
	Impl  string `json:"impl"`
	Label string `json:"label"`
	Notes string `json:"notes"`
	// Ns is the time per call each goroutine sees, at each count of
	// goroutines (Threads); CallsPerSec the calls of all of them.
	Ns          []float64 `json:"ns_per_call"`
	CallsPerSec []float64 `json:"calls_per_sec"`
	Spread      []float64 `json:"spread"`
	Allocs      float64   `json:"allocs_per_call"` // one goroutine's calls, alone
	// Scaling is the throughput at the most goroutines over that at the
	// fewest.
	Scaling float64 `json:"scaling"`
	runs    [][]sample
}

// ParallelTable is what Parallel measured.
type ParallelTable struct {
	Machine string        `json:"machine"`
	Kernel  string        `json:"kernel"`
	N       int           `json:"n"`
	Threads []int         `json:"goroutines"`
	Runs    int           `json:"runs"`
	Rows    []ParallelRow `json:"rows"`
	variant string        // as Options.variant
}

// Parallel measures the ways goroutines can share s's kernel, at size
// o.N, with each count of goroutines in o.Threads (GOMAXPROCS set to the
// count, as go test -cpu does): every goroutine calls in a loop, on
// inputs of its own, for about o.Time, and the calls of all of them are
// counted. It runs o.Count rounds, the options and counts interleaved
// within each, and keeps the medians.
//
// The options, found by what each Func of s has as Impls finds its rows:
// s.Ref on each goroutine's inputs ("go", the baseline, which shares
// nothing); the one-shot Call of a Func on them ("straight" for cgo,
// <host>-straight for another host); and over handles in the first kind
// of memory the host has, copying each goroutine's inputs in and its
// outputs out, one handle behind a mutex ("shared"), a zerocall.Pool of
// handles ("pool") and a lock-free handle per goroutine ("owned"), each
// named with the host's prefix: none for cgo, wasm- for wazero,
// <host>- for another. Each option's first call is checked against s.Ref
// before it is timed. o.Impls are not used.
func Parallel(s zctest.Spec, o Options) (*ParallelTable, error) {
	if s.Func == nil || s.Ref == nil {
		return nil, errors.New("zcbench: Parallel needs a Spec with a Func and a Ref")
	}
	if err := hooks.ValidateSpec(s); err != nil {
		return nil, fmt.Errorf("zcbench: %w", err)
	}
	name := o.Name
	if name == "" {
		name = s.Func.Kernel().Name
	}
	o, err := o.settle(s, name)
	if err != nil {
		return nil, err
	}
	if o.Threads == nil {
		o.Threads = defaultThreads()
	}
	return parallel(name, kit{s, o}.parallelImpls(), o)
}

// defaultThreads returns 1, 2, 4, ... up to GOMAXPROCS, and GOMAXPROCS.
func defaultThreads() []int {
	p := runtime.GOMAXPROCS(0)
	var ts []int
	for g := 1; g < p; g *= 2 {
		ts = append(ts, g)
	}
	return append(ts, p)
}

// parallel measures impls.
func parallel(kernelName string, impls []parallelImpl, o Options) (*ParallelTable, error) {
	n, threads, count, d, progress := o.N, o.Threads, o.Count, o.Time, o.Progress
	if len(impls) == 0 || len(threads) == 0 || count < 1 || d <= 0 || n < 1 {
		return nil, errors.New("zcbench: Parallel needs options, goroutine counts, and a positive N, Count and Time")
	}
	for _, g := range threads {
		if g < 1 {
			return nil, fmt.Errorf("zcbench: %d goroutines", g)
		}
	}
	t := &ParallelTable{Machine: o.Machine, Kernel: kernelName, N: n, Threads: threads, Runs: count, variant: o.variant}
	workers := make([]func() (func() error, func(), error), len(impls))
	for i, im := range impls {
		w, done, err := im.prepare(n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", im.name, err)
		}
		if done != nil {
			defer done()
		}
		workers[i] = w
		t.Rows = append(t.Rows, ParallelRow{Impl: im.name, Label: im.label, Notes: im.notes, runs: make([][]sample, len(threads))})
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	start := time.Now()
	for rep := range count {
		for ti, g := range threads {
			fmt.Fprintf(progress, "\r%s n=%d, run %d of %d, %d goroutines, %v elapsed   ",
				kernelName, n, rep+1, count, g, time.Since(start).Round(time.Second))
			runtime.GOMAXPROCS(g)
			for i := range impls {
				s, err := measureParallel(workers[i], g, d)
				if err != nil {
					return nil, fmt.Errorf("%s with %d goroutines: %w", impls[i].name, g, err)
				}
				t.Rows[i].runs[ti] = append(t.Rows[i].runs[ti], s)
			}
		}
	}
	fmt.Fprintln(progress)
	for i := range t.Rows {
		a, err := allocsPerCall(workers[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", impls[i].name, err)
		}
		t.Rows[i].Allocs = a
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		for ti, g := range threads {
			st := summarise(r.runs[ti])
			r.Ns = append(r.Ns, st.median)
			r.Spread = append(r.Spread, st.spread)
			r.CallsPerSec = append(r.CallsPerSec, float64(g)*1e9/st.median)
		}
		r.Scaling = r.CallsPerSec[len(threads)-1] / r.CallsPerSec[0]
	}
	return t, nil
}

// allocsPerCall counts the allocations of one goroutine's calls, made
// in turn with nothing else running: the timed runs' goroutines and timer
// would count too.
func allocsPerCall(worker func() (func() error, func(), error)) (float64, error) {
	call, release, err := worker()
	if err != nil {
		return 0, err
	}
	if release != nil {
		defer release()
	}
	if err := call(); err != nil { // warm: a pool's first instance, lazy set-up
		return 0, err
	}
	const calls = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range calls {
		if err := call(); err != nil {
			return 0, err
		}
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / calls, nil
}

// measureParallel runs g goroutines, each with its own call from worker,
// for about d, and returns the time per call each saw: d·g over the calls
// of all.
func measureParallel(worker func() (func() error, func(), error), g int, d time.Duration) (sample, error) {
	calls := make([]func() error, g)
	for i := range calls {
		call, release, err := worker()
		if err != nil {
			return sample{}, err
		}
		if release != nil {
			defer release()
		}
		calls[i] = call
	}
	var (
		stop   atomic.Bool
		wg     sync.WaitGroup
		counts = make([]int, g)
		errs   = make([]error, g)
		ready  sync.WaitGroup
		begin  = make(chan struct{})
	)
	ready.Add(g)
	for i, call := range calls {
		wg.Go(func() {
			ready.Done()
			<-begin
			// Each goroutine makes one call at least, even one scheduled
			// only after the time is up (a slow start, under emulation).
			n := 0
			for {
				if err := call(); err != nil {
					errs[i] = err
					break
				}
				n++
				if stop.Load() {
					break
				}
			}
			counts[i] = n
		})
	}
	ready.Wait()
	t0 := time.Now()
	close(begin)
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	el := time.Since(t0)
	total := 0
	for i := range g {
		if errs[i] != nil {
			return sample{}, errs[i]
		}
		total += counts[i]
	}
	if total == 0 {
		return sample{}, errors.New("no call finished in the time given")
	}
	return sample{iters: total, ns: float64(el.Nanoseconds()) * float64(g) / float64(total)}, nil
}

// Markdown prints the table: per option and goroutine count, the time
// per call each goroutine sees and the calls per second of all, then the
// scaling from the fewest goroutines to the most. A table of no
// goroutine counts (nil, or the zero one) prints nothing.
func (t *ParallelTable) Markdown(w io.Writer) {
	if t == nil || len(t.Threads) == 0 {
		return // nothing was measured
	}
	fmt.Fprintf(w, "%s of %d, goroutines sharing it, median of %d runs\n%s\n\n", t.Kernel, t.N, t.Runs, t.Machine)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	head := []string{"| Option"}
	for _, g := range t.Threads {
		head = append(head, fmt.Sprintf(" %d goroutine%s", g, plural(g)))
	}
	fmt.Fprintln(tw, strings.Join(append(head, fmt.Sprintf(" Scaling %d→%d", t.Threads[0], t.Threads[len(t.Threads)-1]), " Allocs", " Notes"), "\t")+"\t")
	fmt.Fprintln(tw, "|---"+strings.Repeat("\t---", len(t.Threads)+3)+"\t")
	for _, r := range t.Rows {
		cells := []string{"| " + r.Label}
		for ti := range t.Threads {
			if ti >= min(len(r.Ns), len(r.CallsPerSec), len(r.Spread)) {
				cells = append(cells, " —") // a row read from JSON may be short
				continue
			}
			cells = append(cells, fmt.Sprintf(" %s/call, %s calls/s ±%.0f%%", formatNs(r.Ns[ti]), formatRate(r.CallsPerSec[ti]), 100*r.Spread[ti]))
		}
		cells = append(cells, fmt.Sprintf(" %.2f×", r.Scaling), fmt.Sprintf(" %.0f", r.Allocs), " "+r.Notes)
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

// Benchfmt prints every timed run as a Go benchmark line,
// BenchmarkParallel/<Kernel>/n=<N>/impl=<name>-<goroutines>, the form go
// test -cpu gives.
func (t *ParallelTable) Benchfmt(w io.Writer) {
	if t == nil {
		return
	}
	benchHeader(w, t.variant)
	for _, r := range t.Rows {
		for ti, g := range t.Threads {
			if ti >= len(r.runs) {
				break // a table read from JSON keeps no runs
			}
			for _, s := range r.runs[ti] {
				fmt.Fprintf(w, "BenchmarkParallel/%s/n=%d/impl=%s-%d\t%d\t%.4g ns/op\t%.4g allocs/op\n",
					benchName(t.Kernel), t.N, benchName(r.Impl), g, s.iters, s.ns/float64(g), r.Allocs)
			}
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// formatRate formats calls per second.
func formatRate(r float64) string { return scaled(r, "%.0f", "%.1fk", "%.1fM") }

// prefix is how the names of the sharing options over handles of a
// Func start: none for the first Func on cgo, wasm- for wazero, the
// name of the host (or of a second Func of one) and a dash for the rest.
func prefix(name string) string {
	switch name {
	case "cgo":
		return ""
	case "wazero":
		return "wasm-"
	}
	return name + "-"
}

// parallelImpls returns the thread-safety options of the Spec.
func (k kit) parallelImpls() []parallelImpl {
	s := k.s
	impls := []parallelImpl{{name: "go", label: "Pure Go", notes: "your Go version (Ref), nothing shared",
		prepare: func(n int) (func() (func() error, func(), error), func(), error) {
			return func() (func() error, func(), error) {
				bufs, a, err := k.inputs(n)
				if err != nil {
					return nil, nil, err
				}
				return func() error { s.Ref(&a, bufs); return nil }, nil, nil
			}, nil, nil
		}}}
	fs, names := named(s)
	for fi, f := range fs {
		p, label := prefix(names[fi]), hostLabel(names[fi])
		if c, ok := f.(funcs.OneShot); ok {
			impls = append(impls, parallelImpl{name: p + "straight", label: label + " straight", notes: "your slices passed straight, no buffers, no lock",
				prepare: func(n int) (func() (func() error, func(), error), func(), error) {
					if err := k.checkCall(n, c.Call); err != nil {
						return nil, nil, err
					}
					return func() (func() error, func(), error) {
						bufs, a, err := k.inputs(n)
						if err != nil {
							return nil, nil, err
						}
						return func() error { _, err := c.Call(&a, bufs...); return err }, nil, nil
					}, nil, nil
				}})
		}
		if b, ok := f.(funcs.Binder); ok {
			if mem, ok := firstMemory(b, f); ok {
				impls = append(impls, k.sharing(p, label, b, mem)...)
			}
		}
	}
	return impls
}

// firstMemory returns the first kind of memory b's host has.
func firstMemory(b funcs.Binder, f zctest.Func) (zerocall.Memory, bool) {
	if ms := funcs.Kinds(b, f.Kernel()); len(ms) > 0 {
		return ms[0], true
	}
	return 0, false
}

// checkCall checks a call on inputs of size n against the reference.
func (k kit) checkCall(n int, call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)) error {
	bufs, a, err := k.inputs(n)
	if err != nil {
		return err
	}
	if err := k.verified(a, bufs, bufs, func() (kernel.Return, error) { return call(&a, bufs...) }); err != nil {
		return fmt.Errorf("the first call n=%d: %w", n, err)
	}
	return nil
}

// sharing are the three options over handles in memory mem of b.
func (k kit) sharing(p, label string, b funcs.Binder, mem zerocall.Memory) []parallelImpl {
	newHandle := func(n int) (*kernel.Handle, error) {
		bufs, _, err := k.inputs(n)
		if err != nil {
			return nil, err
		}
		return b.Handle(mem, caps(bufs, 1)...)
	}
	// copying is a goroutine's call through handles got from get.
	copying := func(n int, get func(call func(*kernel.Handle) error) error) (func() error, func(), error) {
		bufs, a, err := k.inputs(n)
		if err != nil {
			return nil, nil, err
		}
		call := func(h *kernel.Handle) error { _, err := h.Call(&a, bufs...); return err }
		return func() error { return get(call) }, nil, nil
	}
	// checked makes a handle and checks one call of it.
	checked := func(n int) (*kernel.Handle, error) {
		h, err := newHandle(n)
		if err != nil {
			return nil, err
		}
		if err := k.checkCall(n, h.Call); err != nil {
			h.Close()
			return nil, err
		}
		return h, nil
	}
	// check checks one call of a handle it then closes: the pool and
	// the owned handles are made later, one per goroutine.
	check := func(n int) error {
		h, err := checked(n)
		if err != nil {
			return err
		}
		h.Close()
		return nil
	}
	return []parallelImpl{
		{name: p + "shared", label: label + " shared", notes: "one handle behind a mutex",
			prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				hd, err := checked(n)
				if err != nil {
					return nil, nil, err
				}
				var mu sync.Mutex
				get := func(call func(*kernel.Handle) error) error {
					mu.Lock()
					defer mu.Unlock()
					return call(hd)
				}
				return func() (func() error, func(), error) { return copying(n, get) }, func() { hd.Close() }, nil
			}},
		{name: p + "pool", label: label + " pool", notes: "a zerocall.Pool of handles",
			prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				if err := check(n); err != nil {
					return nil, nil, err
				}
				pool := &zerocall.Pool[*kernel.Handle]{New: func() (*kernel.Handle, error) { return newHandle(n) }}
				return func() (func() error, func(), error) {
					return copying(n, func(call func(*kernel.Handle) error) error { return pool.Do(call) })
				}, nil, nil
			}},
		{name: p + "owned", label: label + " owned", notes: "a lock-free handle per goroutine",
			prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				if err := check(n); err != nil {
					return nil, nil, err
				}
				return func() (func() error, func(), error) {
					hd, err := newHandle(n)
					if err != nil {
						return nil, nil, err
					}
					call, _, err := copying(n, func(call func(*kernel.Handle) error) error { return call(hd) })
					if err != nil {
						hd.Close()
						return nil, nil, err
					}
					return call, func() { hd.Close() }, nil
				}, nil, nil
			}},
	}
}
