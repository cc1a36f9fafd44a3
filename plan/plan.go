// Package plan runs each call of a kernel on the path that is fastest for
// the call's size on this machine.
//
// Below some size plain Go wins, above it foreign code does, and where
// the crossover lies depends on the kernel, the path and the machine.
// A Plan measures it instead of asking you to hard-code it: given the
// kernel's description and its paths (a native Func, its Go assembly, a
// handle in place, the Go version...), it times each path over a ladder
// of sizes, at most Budget long, and from then on sends each call to the
// path its measurements say is fastest for that size. The measurements
// are its wisdom, as FFTW calls its planner's: saved as a small JSON
// file, keyed by what makes them valid (the CPU, the C variant, Go's and
// zerocall's versions, the kernel and its paths), and loaded instead of
// measuring again. (A zerocall built from a checkout, through a replace
// directive, has no release version: its wisdom holds "(devel)", which
// any other such build takes as its own.)
//
// A planned call costs a table lookup over the chosen path's own call
// (and one more call in the size class of a handle's capacity, which is
// split there, and past the largest size a path was measured on, where a
// call the path refuses for its capacity runs Go) and allocates nothing.
// The same size always takes the same path, so results are reproducible
// for given wisdom.
package plan

import (
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/escape"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// Plan sends each call of Kernel to the fastest of its paths for the
// call's size, the length of its longest slice: its Go version, and each
// of Paths. Set the fields before the first call and leave them. Any
// number of goroutines may then call one Plan if its paths may be called
// so: a kernel.Handle may not, so a path in place should take its handle
// from a zerocall.Pool, or each goroutine have a plan of its own.
//
// Its wisdom comes, on the first call (or Choice, or WriteTo), from File
// or the cache if they hold wisdom that is valid here, and otherwise from
// a calibration, which is then saved there; wisdom from the cache is
// saved to File too. Calibrate measures again.
type Plan struct {
	// Kernel is the kernel every path runs.
	Kernel *kernel.Kernel
	// Go, if not nil, is the kernel's pure-Go version, the path named
	// "go": the plan checks a call as a one-shot call does
	// (Kernel.CheckSlices) and gives Go the checked scalars and slices.
	// It must not keep a or bufs past its return.
	Go func(a *kernel.Args, bufs []kernel.Slice) kernel.Return
	// Paths are the other ways to run the kernel, by name: calls that
	// check their arguments as a one-shot call of zerocall does, such as
	// native.Func.Call, asm.Func.Call, or the Call of a kernel.Handle for
	// a call in place. A call must not keep a or bufs past its return.
	// A path that refuses a size of the calibration with
	// zerocall.ErrCapacity (a handle) is looked into between that size
	// and the last it ran, and measured at the largest it runs (a
	// handle's capacity, if Inputs makes a call of that size). A call of
	// a size past the largest its calibration saw a path run (the ladder
	// cut short by Budget or by MaxSize) that the path refuses with
	// zerocall.ErrCapacity runs the Go version, if there is one, after
	// the path's refusal (whose error may allocate). A path that breaks
	// in calibration (zerocall.ErrBroken: a trap, a time limit) is not
	// used at any size: a broken handle fails every call after. A path
	// that panics in calibration is not used from the size it panicked
	// at, the panic's value in its wisdom's error.
	Paths map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	// Inputs returns the scalars and slices of a valid call of about size
	// n, for calibration, at n = 1, 2, 4, ... up to MaxSize. The size
	// measured is the call's own: a call may be larger or smaller than
	// asked, such as the nearest square image. Wisdom that is loaded
	// asks it once more for each path, at the largest size the wisdom has
	// the path run, to check that the path still takes such a call (a
	// handle's capacity is not part of the key). An Inputs that panics
	// fails the plan: every call returns that error.
	Inputs func(n int) (*kernel.Args, []kernel.Slice)
	// MaxSize is the largest size calibration measures; 0 (or less)
	// means 1<<20. Larger calls go where the largest size's costs extend
	// to.
	MaxSize int
	// Budget bounds the time a calibration takes, timing the paths and
	// calling Inputs; 0 (or less) means 200 ms. Pauses of the machine
	// while a path is timed (a shared machine's host, the collector) do
	// not count against it, so that they do not cut the ladder of sizes
	// short, but a calibration stops at four budgets on the clock,
	// whatever it has measured, dropping a size it is still timing then
	// (a path whose cost leapt there), a call of a path past them at
	// most. Sizes it leaves unmeasured go where the measured ones' costs
	// extend to.
	Budget time.Duration
	// File, if not empty, is a wisdom file: read on first use and used
	// if it is valid here (its key matches, and each path still takes a
	// call of the largest size it has it run), written after a
	// calibration or with the cache's wisdom if that is used instead
	// (a File that is not a regular file, such as os.DevNull, is neither
	// read nor written).
	// When it is empty, the environment variable ZEROCALL_WISDOM may
	// name a directory for the wisdom of every plan of a program, in
	// files named as the cache's: running a program once with it set
	// writes its plans' wisdom, for the next runs or for other machines
	// of the same kind (the zerocall command's wisdom verb runs it so and
	// prints what each plan chose). The key names the kernel by its Name
	// alone: kernels of different code need different names, and a
	// kernel whose code changed, a new calibration.
	File string
	// Cache, if set, keeps the wisdom in the per-user cache directory
	// (os.UserCacheDir), in a file named after the kernel and its paths,
	// as File does.
	Cache bool
	// Logf, if not nil, is told why wisdom was not used and what a
	// calibration chose. The plan is being made when it is called, so
	// Logf must not call the plan (it would wait for itself).
	Logf func(format string, args ...any)

	mu    sync.Mutex            // serialises making a table
	state atomic.Pointer[table] // nil until the first use
}

// table is what a plan decides once: a path for each size class.
type table struct {
	names []string // the paths' names: "go" first, then Paths' in order
	// calls are the paths' calls, in the order of names; the Go
	// version's is nil, since Call runs it itself (goCall).
	calls  []func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	choice [classes]uint8 // the index in calls for each size class
	// edge is, for a class that holds the last size a path ran before
	// failing (a handle's capacity), that size and that path if it is
	// the cheaper one there: sizes up to it run it, not choice's.
	edge [classes]edge
	// run is the call of each size class, calls[choice[c]], with room
	// to a power of two so that a class indexes it with no bounds check:
	// nil for a class that runs Go.
	run [256]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	// k and goCall are the kernel and its Go version (Plan.Go), which
	// Call runs itself, with the checks of a one-shot call, one call
	// fewer than through a function value.
	k      *kernel.Kernel
	goCall func(a *kernel.Args, bufs []kernel.Slice) kernel.Return
	// fallback is the Go version with the checks of a one-shot call, for
	// the calls a path refuses past the sizes it was measured on (see
	// guard): nil with no Go version, and in the tables calibration
	// times, which must see the refusals.
	fallback func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	w        *wisdom // what the choice was made from
	err      error   // why the plan cannot run, if it cannot (calls then returns it)
}

// Call runs the kernel on the path chosen for the call's size, with a
// one-shot call's checks and results. The first call of a plan may
// calibrate it (see Plan); later ones cost a table lookup.
func (p *Plan) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	if p == nil {
		funcs.ToHeap(bufs) // here, off the path of the calls: see hideArgs
		return kernel.Return{}, errNil
	}
	t := p.state.Load()
	if t == nil {
		return p.first(a, bufs)
	}
	if run := t.run[classOf(size(bufs))]; run != nil {
		return run(hideArgs(a), hideSlices(bufs)...)
	}
	// The Go version, with the checks of a one-shot call, as
	// funcs.Checked makes them, but here rather than behind one more call.
	var c kernel.Args
	if a != nil {
		c.F, c.I = a.F, a.I // CheckSlices sets the lengths
	}
	if err := t.k.CheckSlices(&c, bufs); err != nil {
		return kernel.Return{}, err
	}
	return t.goCall(hideArgs(&c), hideSlices(bufs)), nil
}

// first is Call's first call: it makes the plan's table (ready publishes
// the table it returns, whatever the outcome), then calls again. Out of
// Call, so that Call keeps nothing live across the making: with it
// inline, Call stored two of its arguments on the stack on every call,
// and a planned call cost 0.5 ns more (BenchmarkDispatch).
//
//go:noinline
func (p *Plan) first(a *kernel.Args, bufs []kernel.Slice) (kernel.Return, error) {
	p.ready()
	return p.Call(a, bufs...)
}

// errNil is the error of a method called on a nil *Plan.
var errNil = fmt.Errorf("%w: a nil *plan.Plan", errs.Argument)

// classOf returns the size class of a call of size n: below 1024 from
// smallClasses, by one load, where computing it puts a chain of
// dependent instructions (bits.Len, two shifts) before the path's call
// that cost a planned call 0.6-1 ns at n = 1 to 64 (BenchmarkPlanned);
// computed above, where calls are long.
func classOf(n int) uint8 {
	if uint(n) < uint(len(smallClasses)) {
		return smallClasses[n]
	}
	return uint8(class(n))
}

// smallClasses is class(n) for each n below 1024.
var smallClasses = func() (s [1024]uint8) {
	for n := range s {
		s[n] = uint8(class(n))
	}
	return s
}()

// size returns the size of a call on bufs: the length of its longest
// slice. One or two slices, as most kernels take, are measured without
// the loop: 13 instructions fewer for two in a planned call.
func size(bufs []kernel.Slice) int {
	switch len(bufs) {
	case 1:
		return bufs[0].Len()
	case 2:
		return max(bufs[0].Len(), bufs[1].Len())
	}
	n := 0
	for i := range bufs {
		n = max(n, bufs[i].Len())
	}
	return n
}

// hideArgs and hideSlices hide a call's Args and slices from escape
// analysis: no path keeps them, so a caller's Args and its variadic
// slices stay on its stack. (A plan that cannot run has one path, which
// returns why.) hideSlices hides the array's address alone, and makes
// the header of it and the length, which stay in registers: a slice
// header hidden whole goes through memory, a store and a reload on every
// call (0.3 ns of the dispatch here), and unsafe.Slice checks the length
// against the address space, a multiply and two branches (0.2 ns).
//
// Hidden with the array, the buffers themselves would stay on a caller's
// stack too, and a path may not take that: a native Func's Call gives C
// the buffers' addresses as integers, which a stack that moves before C
// runs (it grows at a call, or shrinks at a collection) leaves pointing
// at the old stack. Call keeps them on the heap with funcs.ToHeap, as
// that Call does for its own callers, while the list of them stays on
// the caller's stack.
func hideArgs(a *kernel.Args) *kernel.Args {
	return (*kernel.Args)(escape.Pointer(unsafe.Pointer(a)))
}

func hideSlices(s []kernel.Slice) []kernel.Slice {
	h := struct {
		p    unsafe.Pointer
		n, c int
	}{escape.Pointer(unsafe.Pointer(unsafe.SliceData(s))), len(s), len(s)}
	return *(*[]kernel.Slice)(unsafe.Pointer(&h))
}

// Choice returns the name of the path a call of size n runs on, or ""
// with the reason the plan cannot run. (A call that path refuses past
// the sizes it was measured on runs the Go version: see Paths.)
func (p *Plan) Choice(n int) (string, error) {
	if p == nil {
		return "", errNil
	}
	t := p.state.Load()
	if t == nil {
		t = p.ready()
	}
	if t.err != nil {
		return "", t.err
	}
	return t.names[t.chosen(n)], nil
}

// edge is a size class's first sizes, to n, that run path rather than
// the class's choice; n is 0 in a class with no edge.
type edge struct {
	n    int
	path uint8
}

// chosen returns the index in t.calls of the path a call of size n runs.
func (t *table) chosen(n int) uint8 {
	c := class(n)
	if e := t.edge[c]; e.n > 0 && n <= e.n {
		return e.path
	}
	return t.choice[c]
}

// ready makes the plan's table on its first use: from valid wisdom in
// File or the cache, or else from a calibration.
func (p *Plan) ready() *table {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := p.state.Load(); t != nil {
		return t
	}
	t, err := p.check()
	if err == nil {
		names := p.files()
		for i, name := range names {
			w, err := readFile(name, p.key(t.names))
			if err == nil {
				err = p.probe(t, w)
			}
			if err == nil {
				p.use(t, w)
				// The files before it hold no wisdom valid here: they get
				// this one, as they would a calibration's.
				p.save(w, names[:i])
				return t
			}
			if !errors.Is(err, errNoFile) {
				p.logf("plan %s: wisdom in %s not used: %v", p.Kernel.Name, name, err)
			}
		}
		err = p.calibrate(t, names)
	}
	if err != nil {
		t.err, t.names, t.goCall, t.fallback = err, nil, nil, nil
		t.calls = []func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){
			func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) { return kernel.Return{}, err },
		}
		t.choice = [classes]uint8{}
		t.fill()
		p.state.Store(t)
	}
	return t
}

// check validates the plan's fields and returns a table with its calls.
func (p *Plan) check() (*table, error) {
	if p.Kernel == nil {
		return &table{}, fmt.Errorf("%w: plan with no kernel", kernel.ErrKernel)
	}
	if err := funcs.Validate(p.Kernel); err != nil {
		return &table{}, err
	}
	// Names go into the wisdom's JSON, which would change what is not
	// UTF-8, and its own wisdom would no longer match the plan.
	if !utf8.ValidString(p.Kernel.Name) {
		return &table{}, fmt.Errorf("%w: plan of kernel %q: the name is not UTF-8", errs.Argument, p.Kernel.Name)
	}
	t := &table{k: p.Kernel, goCall: p.Go}
	if p.Go != nil {
		t.fallback = funcs.Checked(p.Kernel, p.Go)
		t.names, t.calls = append(t.names, "go"), append(t.calls, nil)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Paths)) {
		call := p.Paths[name]
		switch {
		case name == "" || name == "go" && p.Go != nil || !utf8.ValidString(name):
			return t, fmt.Errorf("%w: plan %s: a path named %q (names are UTF-8, neither empty nor \"go\" beside a Go version)", errs.Argument, p.Kernel.Name, name)
		case call == nil:
			return t, fmt.Errorf("%w: plan %s: path %s has no call", errs.Argument, p.Kernel.Name, name)
		}
		t.names, t.calls = append(t.names, name), append(t.calls, call)
	}
	if len(t.calls) == 0 || len(t.calls) > 255 {
		return t, fmt.Errorf("%w: plan %s has %d paths, not 1 to 255", errs.Argument, p.Kernel.Name, len(t.calls))
	}
	return t, nil
}

// use sets t's choices from the wisdom w and publishes t.
func (p *Plan) use(t *table, w *wisdom) {
	costs := w.costs()
	for c := range classes {
		lo, hi := classSize(c), classSize(c+1)-1
		t.choice[c] = uint8(fastest(costs, lo, hi))
		t.edge[c] = edgeOf(costs, lo, hi, int(t.choice[c]))
	}
	t.w = w
	t.fill()
	t.guard(costs)
	w.Chose = p.describe(t)
	p.state.Store(t)
}

// guard makes each class with sizes past the largest its path was
// measured on run the Go version for the calls the path refuses with
// ErrCapacity: a handle's capacity past the sizes a calibration reached
// is not known, and such calls would otherwise fail every time where Go
// runs them. The same size still takes the same path every time. The
// classes a path was measured on call it directly, at no cost.
func (t *table) guard(costs []curve) {
	if t.fallback == nil {
		return
	}
	for c := range classes {
		i := t.choice[c] // in a class with an edge, the path of its larger sizes
		cs := costs[i]
		if t.calls[i] == nil || len(cs.sizes) > 0 && float64(classSize(c+1)-1) <= cs.sizes[len(cs.sizes)-1] {
			continue
		}
		run, fallback := t.run[c], t.fallback
		t.run[c] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
			r, err := run(a, bufs...)
			if err != nil && errors.Is(err, errs.Capacity) {
				return fallback(a, bufs...)
			}
			return r, err
		}
	}
}

// fill sets t.run from t.choice and t.edge: a class with an edge runs a
// call that compares the call's size with it.
func (t *table) fill() {
	for c := range classes {
		t.run[c] = t.calls[t.choice[c]]
		if e := t.edge[c]; e.n > 0 {
			t.run[c] = t.split(e, t.choice[c])
		}
	}
}

// split returns the call of a class whose sizes up to e.n run path e.path
// and the others path other.
func (t *table) split(e edge, other uint8) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	small, large := t.call(e.path), t.call(other)
	return func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if size(bufs) <= e.n {
			return small(a, bufs...)
		}
		return large(a, bufs...)
	}
}

// call returns path i's call: the Go version's with the checks of a
// one-shot call, which Call otherwise makes itself.
func (t *table) call(i uint8) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	if c := t.calls[i]; c != nil {
		return c
	}
	return funcs.Checked(t.k, t.goCall)
}

// logf calls Logf if it is set.
func (p *Plan) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}

// classes is the number of size classes: one for each size below 4, and
// four for each power of two from 4 to 2⁶², the last below math.MaxInt
// (at most 256, the size of table.run).
const classes = 4 + 4*61

// class returns the size class of n: n itself below 4, then four classes
// per power of two, [4·2ᵉ, 5·2ᵉ), [5·2ᵉ, 6·2ᵉ), [6·2ᵉ, 7·2ᵉ), [7·2ᵉ, 8·2ᵉ),
// so that neighbouring classes differ by at most a quarter in size.
func class(n int) int {
	if n < 4 {
		return max(n, 0)
	}
	l := bits.Len(uint(n))
	return 4*(l-2) + int(uint(n)>>(l-3)&3)
}

// classSize returns the smallest size of class c (the largest int past the
// last class).
func classSize(c int) int {
	if c < 4 {
		return c
	}
	l, q := c/4+2, c%4
	if l-3 >= 61 {
		return int(^uint(0) >> 1)
	}
	return (4 + q) << (l - 3)
}
