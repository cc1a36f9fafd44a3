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
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
)

// ParallelImpl is one way for goroutines to share a kernel: one of the
// thread-safety options.
type ParallelImpl struct {
	// Name is the option in benchmark names: impl=<Name>.
	Name string
	// Label and Notes head its row of the table.
	Label, Notes string
	// Prepare readies the option at size n: what the goroutines share,
	// and worker, which each goroutine calls once, before its loop, for
	// its own call (on inputs of its own) and what releases it.
	Prepare func(n int) (worker func() (call func() error, release func(), err error), done func(), err error)
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
}

// Parallel measures each option at size n with each count of goroutines
// in threads (GOMAXPROCS set to the count, as go test -cpu does): every
// goroutine calls its own call in a loop for about d, and the calls of
// all of them are counted. It runs count rounds, the options and counts
// interleaved within each, and keeps the medians.
func Parallel(kernelName string, impls []ParallelImpl, n int, threads []int, count int, d time.Duration, progress io.Writer) (*ParallelTable, error) {
	if len(impls) == 0 || len(threads) == 0 || count < 1 || d <= 0 {
		return nil, errors.New("zcbench: Parallel needs options, goroutine counts, and a positive count and duration")
	}
	for _, g := range threads {
		if g < 1 {
			return nil, fmt.Errorf("zcbench: %d goroutines", g)
		}
	}
	t := &ParallelTable{Machine: Machine(), Kernel: kernelName, N: n, Threads: threads, Runs: count}
	workers := make([]func() (func() error, func(), error), len(impls))
	for i, im := range impls {
		w, done, err := im.Prepare(n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", im.Name, err)
		}
		if done != nil {
			defer done()
		}
		workers[i] = w
		t.Rows = append(t.Rows, ParallelRow{Impl: im.Name, Label: im.Label, Notes: im.Notes, runs: make([][]sample, len(threads))})
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
					return nil, fmt.Errorf("%s with %d goroutines: %w", impls[i].Name, g, err)
				}
				t.Rows[i].runs[ti] = append(t.Rows[i].runs[ti], s)
			}
		}
	}
	fmt.Fprintln(progress)
	for i := range t.Rows {
		a, err := allocsPerCall(workers[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", impls[i].Name, err)
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
			n := 0
			for !stop.Load() {
				if err := call(); err != nil {
					errs[i] = err
					break
				}
				n++
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
// scaling from the fewest goroutines to the most.
func (t *ParallelTable) Markdown(w io.Writer) {
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
			cells = append(cells, fmt.Sprintf(" %s/call, %s calls/s ±%.0f%%", FormatNs(r.Ns[ti]), formatRate(r.CallsPerSec[ti]), 100*r.Spread[ti]))
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
	BenchHeader(w, "")
	for _, r := range t.Rows {
		for ti, g := range t.Threads {
			for _, s := range r.runs[ti] {
				fmt.Fprintf(w, "BenchmarkParallel/%s/n=%d/impl=%s-%d\t%d\t%.4g ns/op\t%.4g allocs/op\n",
					t.Kernel, t.N, r.Impl, g, s.iters, s.ns/float64(g), r.Allocs)
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
func formatRate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

// ParallelHost makes handles of a kernel of your own on a host, for the
// rows Name+"shared", Name+"pool" and Name+"owned".
type ParallelHost struct {
	Name, Label string
	New         func(caps []int) (Handle, error)
}

// FuncParallel returns the thread-safety options for a kernel of your
// own: goFn, its pure-Go version, on each goroutine's own inputs (the
// baseline, which shares nothing); for a *native.Func, the straight pass
// of each goroutine's slices ("straight"), one handle behind a mutex
// ("shared"), a zerocall.Pool of handles ("pool") and a lock-free handle
// per goroutine ("owned"); for a *wasm.Func the same three over wazero
// instances ("wasm-shared", "wasm-pool", "wasm-owned"); then the same
// three for each of hosts. Every call copies the goroutine's inputs in
// and its outputs out, so the rows differ in how they share.
func FuncParallel(f Func, goFn func(a *kernel.Args, bufs []kernel.Slice) kernel.Return, in Inputs, hosts ...ParallelHost) []ParallelImpl {
	impls := []ParallelImpl{{Name: "go", Label: "Pure Go", Notes: "your Go version, nothing shared",
		Prepare: func(n int) (func() (func() error, func(), error), func(), error) {
			return func() (func() error, func(), error) {
				bufs, a := in(n)
				return func() error { goFn(&a, bufs); return nil }, nil, nil
			}, nil, nil
		}}}
	switch f := f.(type) {
	case *native.Func:
		impls = append(impls, ParallelImpl{Name: "straight", Label: "cgo straight", Notes: "Go slices passed to C, no buffers, no lock",
			Prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				return func() (func() error, func(), error) {
					bufs, a := in(n)
					return func() error { _, err := f.Call(&a, bufs...); return err }, nil, nil
				}, nil, nil
			}})
		hosts = append([]ParallelHost{{Name: "", Label: "cgo", New: func(caps []int) (Handle, error) {
			return f.Handle(zerocall.Pinned, caps...)
		}}}, hosts...)
	case *wasm.Func:
		hosts = append([]ParallelHost{{Name: "wasm-", Label: "wazero", New: func(caps []int) (Handle, error) {
			return f.Handle(zerocall.Module, caps...)
		}}}, hosts...)
	}
	for _, h := range hosts {
		impls = append(impls, sharingImpls(h, in)...)
	}
	return impls
}

// sharingImpls are the three options over handles of host h.
func sharingImpls(h ParallelHost, in Inputs) []ParallelImpl {
	caps := func(n int) []int {
		bufs, _ := in(n)
		cs := make([]int, len(bufs))
		for i, b := range bufs {
			cs[i] = max(b.Len(), 1)
		}
		return cs
	}
	// copying is a goroutine's call through handles got from get.
	copying := func(n int, get func(call func(Handle) error) error) (func() error, func(), error) {
		bufs, a := in(n)
		call := func(h Handle) error { _, err := h.Call(&a, bufs...); return err }
		return func() error { return get(call) }, nil, nil
	}
	return []ParallelImpl{
		{Name: h.Name + "shared", Label: h.Label + " shared", Notes: "one handle behind a mutex",
			Prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				hd, err := h.New(caps(n))
				if err != nil {
					return nil, nil, err
				}
				var mu sync.Mutex
				get := func(call func(Handle) error) error {
					mu.Lock()
					defer mu.Unlock()
					return call(hd)
				}
				return func() (func() error, func(), error) { return copying(n, get) }, func() { hd.Close() }, nil
			}},
		{Name: h.Name + "pool", Label: h.Label + " pool", Notes: "a zerocall.Pool of handles",
			Prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				pool := zerocall.NewPool(func() (Handle, error) { return h.New(caps(n)) })
				return func() (func() error, func(), error) {
					return copying(n, func(call func(Handle) error) error { return pool.Do(call) })
				}, nil, nil
			}},
		{Name: h.Name + "owned", Label: h.Label + " owned", Notes: "a lock-free handle per goroutine",
			Prepare: func(n int) (func() (func() error, func(), error), func(), error) {
				return func() (func() error, func(), error) {
					hd, err := h.New(caps(n))
					if err != nil {
						return nil, nil, err
					}
					call, _, _ := copying(n, func(call func(Handle) error) error { return call(hd) })
					return call, func() { hd.Close() }, nil
				}, nil, nil
			}},
	}
}
