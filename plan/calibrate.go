package plan

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// Calibrate measures every path again, within Budget, and from then on
// sends calls where the new measurements say; the wisdom is saved to
// File and the cache if they are set. A plan calibrates itself on its
// first use when it has no valid wisdom, so calling Calibrate is only
// needed to measure again, or to measure before the first call. Calls
// made meanwhile go where the earlier wisdom said, and run beside the
// calibration's own: paths that may not be called at once (a handle) must
// not be calibrated while the plan is in use.
func (p *Plan) Calibrate() error {
	if p == nil {
		return errNil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t, err := p.check()
	if err != nil {
		return err
	}
	return p.calibrate(t, p.files())
}

// now is the clock that times the rounds and stops a calibration at four
// budgets, and resolution its tick: time.Now and tick, or in a test a
// clock that moves only as the test's paths and pauses move it.
var (
	now        = time.Now
	resolution = tick
)

// calibrate times every path of t at each size of a ladder of powers of
// two, for a share of the budget each, up to MaxSize or as far as the
// budget goes, then sets t's choices from the times and saves them to the
// wisdom files names.
func (p *Plan) calibrate(t *table, names []string) error {
	if p.Inputs == nil {
		return fmt.Errorf("%w: plan %s has no Inputs to calibrate with", errs.Argument, p.Kernel.Name)
	}
	maxSize, budget := p.maxSize(), p.Budget
	if budget <= 0 {
		budget = 200 * time.Millisecond
	}
	budget = min(budget, math.MaxInt64/4) // four budgets stop the ladder
	// The sizes share 15/16 of the budget: their shares below are
	// estimates, within a few percent of the clock, and the fit and the
	// saving come after them.
	ladder := budget - budget/16
	var sizes []int
	for n := 1; n > 0 && n <= maxSize; n *= 2 { // n > 0: stop where doubling overflows
		sizes = append(sizes, n)
	}
	// Each size gives each path an equal slot of 7/8 of the ladder, for a
	// round to find how many calls fill a round and the rounds, each at
	// least four ticks of the clock long: on a clock as coarse as the
	// slot, fewer sizes are measured, each well. The last eighth is left
	// for Inputs' time and for the shares of the largest sizes, which may
	// grow past their slots: with slots of the whole ladder, Inputs' time
	// on top of them left no room for the last size, and MaxSize was
	// never measured, whatever the budget.
	slot := (ladder - ladder/8) / time.Duration(len(sizes)*len(t.calls))
	round := max(slot/(rounds+1), 4*resolution(), time.Microsecond)
	w := &wisdom{Version: wisdomVersion, Key: p.key(t.names), Paths: make([]pathWisdom, len(t.calls))}
	for i := range w.Paths {
		w.Paths[i].Name = t.names[i]
	}
	via := make([]*Plan, len(t.calls))
	for i := range via {
		via[i] = t.only(i)
	}
	start, last, spent, made := now(), 0, time.Duration(0), time.Duration(0)
	for _, n := range sizes {
		// The next size takes each path its rounds, or five calls (two to
		// warm up, one a round) at about twice its last size's time if
		// those are longer, and Inputs about twice its last call's time:
		// stop where that would pass the budget. These shares count
		// against it, and Inputs' time on the clock, but not the clock
		// while the paths are timed, so that a pause of the machine (its
		// host's, the collector's, other goroutines') does not cut the
		// ladder short. At four budgets on the clock, the ladder stops
		// whatever it has measured. The first size is measured whatever it
		// costs (on a clock as coarse as Windows' can be, four ticks a
		// round may pass the budget).
		share := time.Duration(0)
		for _, pw := range w.Paths {
			if pw.FailsFrom == 0 {
				d := (rounds + 1) * round
				if len(pw.NS) > 0 {
					d = max(d, time.Duration(10*pw.NS[len(pw.NS)-1]))
				}
				share += d
			}
		}
		// No share is left when every path has failed: nothing to measure.
		if last > 0 && (share == 0 || spent+share+2*made > ladder || now().Sub(start) > 4*budget) {
			break
		}
		asked := now()
		a, bufs, err := p.inputs(n)
		if err != nil {
			return err
		}
		made = now().Sub(asked)
		spent += made
		// The size is the call's, which Inputs may round (to a square
		// image, say); a size no larger than the last is not measured again.
		// A call of no elements (a kernel of scalars alone has only those)
		// counts as size 1: wisdom's sizes are positive, and a curve costs
		// sizes below its first what it costs there.
		got := max(size(bufs), 1)
		if got <= last {
			continue
		}
		first := last == 0
		last, spent = got, spent+share
		calls := slices.Clone(via)
		for i := range calls {
			if w.Paths[i].FailsFrom != 0 {
				calls[i] = nil // not measured again
			}
		}
		// The first size is measured whatever it costs; any other is
		// dropped if it runs past four budgets on the clock, or past twice
		// its share if that ends later (the machine may have paused just
		// before): a path whose cost leapt at this size.
		var stop time.Time
		if !first {
			t0 := now()
			stop = t0.Add(max(start.Add(4*budget).Sub(t0), 2*share))
		}
		ns, fails, cut := timeCalls(calls, a, bufs, round, stop)
		if cut { // the times are dropped, not the failures seen
			for i := range fails {
				if fails[i] != nil {
					w.Paths[i].fail(got, fails[i])
				}
			}
			break
		}
		for i := range calls {
			switch pw := &w.Paths[i]; {
			case calls[i] == nil:
			case fails[i] != nil:
				pw.fail(got, fails[i])
				if errors.Is(fails[i], errs.Capacity) && len(pw.Sizes) > 0 {
					spent += p.capacity(via[i], pw, n/2, n, round, stop)
				}
			default:
				pw.Sizes, pw.NS = append(pw.Sizes, got), append(pw.NS, ns[i])
			}
		}
	}
	var failed []string
	for i := range w.Paths {
		pw := &w.Paths[i]
		if len(pw.Sizes) > 0 {
			pw.fit()
			continue
		}
		failed = append(failed, pw.Name+": "+pw.Error)
	}
	if len(failed) == len(w.Paths) {
		return fmt.Errorf("%w: plan %s: no path has a time to choose by (%s)", errs.Argument, p.Kernel.Name, strings.Join(failed, "; "))
	}
	p.use(t, w)
	p.logf("plan %s: calibrated in %v: %s", p.Kernel.Name, now().Sub(start).Round(time.Millisecond), w.Chose)
	p.save(w, names)
	return nil
}

// maxSize returns MaxSize, or its default for 0.
func (p *Plan) maxSize() int {
	if p.MaxSize <= 0 {
		return 1 << 20
	}
	return p.MaxSize
}

// inputs returns Inputs(n), or the error of an Inputs that panics: a
// calibration, or a check of wisdom, then fails with it rather than
// passing the panic to the call that made the plan, which every later
// call would then repeat.
func (p *Plan) inputs(n int) (a *kernel.Args, bufs []kernel.Slice, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: plan %s: Inputs(%d) panicked: %v", errs.Argument, p.Kernel.Name, n, r)
		}
	}()
	a, bufs = p.Inputs(n)
	if a == nil {
		a = new(kernel.Args)
	}
	return a, bufs, nil
}

// capacity finds where the capacity of a path (a handle's) lies, for a
// path that ran the calls of Inputs(lo) and refused that of Inputs(hi)
// for its capacity: it halves the sizes asked between the two, one call
// each (a refusal is quick), and times the path at the largest size it
// ran. The path is then sent the sizes up to its capacity, not only up
// to the last of the ladder's powers of two below it. pw holds the sizes
// measured and the first refused; capacity returns the time it took.
func (p *Plan) capacity(call *Plan, pw *pathWisdom, lo, hi int, round time.Duration, stop time.Time) time.Duration {
	start := now()
	last := pw.Sizes[len(pw.Sizes)-1]
	var okArgs *kernel.Args
	var okBufs []kernel.Slice
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		a, bufs, err := p.inputs(mid)
		if err != nil {
			break // the edge is not found
		}
		switch got := max(size(bufs), 1); {
		case got <= last: // Inputs may round a size: no larger than one that ran
			lo = mid
		case got >= pw.FailsFrom:
			hi = mid
		default:
			_, err := call.Call(a, bufs...)
			switch {
			case err == nil:
				lo, last, okArgs, okBufs = mid, got, a, bufs
			case errors.Is(err, errs.Capacity):
				hi, pw.FailsFrom = mid, got
			case errors.Is(err, errs.Broken):
				pw.fail(got, err)
				return now().Sub(start)
			default: // refused for another reason: the edge is not found
				hi = lo
			}
		}
	}
	if okBufs != nil {
		ns, fails, cut := timeCalls([]*Plan{call}, okArgs, okBufs, round, stop)
		if !cut && fails[0] == nil {
			pw.Sizes, pw.NS = append(pw.Sizes, last), append(pw.NS, ns[0])
		}
	}
	return now().Sub(start)
}

// fail records that a path failed at size n with err: from n on, or, if
// it broke (zerocall.ErrBroken: a trap, a time limit), at every size, its
// times dropped, since a broken handle fails every call after.
func (pw *pathWisdom) fail(n int, err error) {
	pw.FailsFrom, pw.Error = n, err.Error()
	if len(pw.Error) > 1000 { // the wisdom stays small enough to be read back
		pw.Error = strings.ToValidUTF8(pw.Error[:1000], "") + "…"
	}
	if errors.Is(err, errs.Broken) {
		pw.Sizes, pw.NS, pw.FailsFrom = nil, nil, 1
	}
}

// only returns a plan that sends every size to path i, whose Call makes
// the path's calls as the plan does: what calibration measures is then
// what a planned call costs, dispatch included, which is less for the Go
// version, run by Call itself, than for a path behind a call. Its Call is
// called as a method, as a program calls a plan's: through a func value
// it would cost a call more, which the paths behind a call pay more of
// than the Go version does (about 0.8 ns here), tipping choices near a
// crossover.
func (t *table) only(i int) *Plan {
	o := &table{names: t.names, k: t.k, goCall: t.goCall, calls: t.calls}
	for c := range classes {
		o.choice[c] = uint8(i)
	}
	o.fill()
	p := &Plan{}
	p.state.Store(o)
	return p
}

// rounds is how many rounds of calls time a path at a size.
const rounds = 3

// timeCalls returns the time of one call of each of calls on a and bufs,
// in nanoseconds, or the error of a call that failed (neither for a nil
// call, which it skips): the best of its rounds, each of as many calls as
// fill round (at least one). The rounds of the calls take turns (every
// call's first round, then every call's second), so that a stretch of
// time in which the machine runs slower, as a shared one does, falls on
// every call alike and does not decide between them. The number of calls
// a round makes is found as the testing package finds b.N, by runs of
// growing length, since a clock that ticks coarsely (Windows' can) would
// make one call look free and the rounds far too long.
//
// Past stop, if it is not zero, it gives up at its next look at the
// clock (after a run of calls) and reports the size cut short, with the
// failures seen so far.
func timeCalls(calls []*Plan, a *kernel.Args, bufs []kernel.Slice, round time.Duration, stop time.Time) (ns []float64, fails []error, cut bool) {
	best, fails, counts := make([]float64, len(calls)), make([]error, len(calls)), make([]int, len(calls))
	late := func() bool { return !stop.IsZero() && now().After(stop) }
	for i, call := range calls {
		if call != nil {
			best[i], counts[i], fails[i] = roundSize(call, a, bufs, round, late)
			if late() {
				return nil, fails, true
			}
		}
	}
	for range rounds - 1 {
		for i, call := range calls {
			if call == nil || fails[i] != nil {
				continue
			}
			if late() {
				return nil, fails, true
			}
			d, err := timeRun(call, a, bufs, counts[i])
			if err != nil {
				fails[i] = err
				continue
			}
			best[i] = min(best[i], float64(d.Nanoseconds())/float64(counts[i]))
		}
	}
	for i := range best {
		best[i] = max(best[i], 0.01)
	}
	return best, fails, false
}

// roundSize warms call up and finds how many calls fill goal: runs of
// growing length until one lasts goal (or makes 2²⁰ calls, or late says
// to stop). It returns that run's time per call and length, or the
// call's error.
func roundSize(call *Plan, a *kernel.Args, bufs []kernel.Slice, goal time.Duration, late func() bool) (float64, int, error) {
	if _, err := timeRun(call, a, bufs, 1); err != nil || late() { // and the caches warm
		return 0, 0, err
	}
	n := 1
	for {
		d, err := timeRun(call, a, bufs, n)
		if err != nil {
			return 0, 0, err
		}
		if d >= goal || n >= 1<<20 || late() {
			return float64(d.Nanoseconds()) / float64(n), n, nil
		}
		// Aim at the goal from this run's time, growing by 100× at most
		// (and by that much when the clock saw nothing).
		next := n * 100
		if d > 0 {
			next = min(next, int(float64(n)*1.2*float64(goal)/float64(d))+1)
		}
		n = min(max(next, n+1), 1<<20)
	}
}

// timeRun returns how long n calls of call take, or the first error. A
// call that panics fails with an error that says so, as a call that
// returns an error does: the path is then not used from that size.
func timeRun(call *Plan, a *kernel.Args, bufs []kernel.Slice, n int) (d time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			t := call.state.Load()
			err = fmt.Errorf("%w: path %s of plan %s panicked: %v", errs.Argument, t.names[t.choice[0]], t.k.Name, r)
		}
	}()
	t := now()
	for range n {
		if _, err := call.Call(a, bufs...); err != nil {
			return 0, err
		}
	}
	return now().Sub(t), nil
}

// tick returns the resolution of the clock time.Now reads: the least of
// three steps between readings that differ. It is tens of nanoseconds on
// Linux; a Windows clock may tick every millisecond or more.
func tick() time.Duration {
	res := time.Duration(math.MaxInt64)
	for range 3 {
		t0 := time.Now()
		d := time.Since(t0)
		for d <= 0 {
			d = time.Since(t0)
		}
		res = min(res, d)
	}
	return res
}

// describe says which path t chose for which sizes.
func (p *Plan) describe(t *table) string {
	// The sizes from which each path runs, in order, one run per path.
	type run struct {
		path uint8
		from int
	}
	var runs []run
	add := func(path uint8, from int) {
		if len(runs) == 0 || runs[len(runs)-1].path != path {
			runs = append(runs, run{path, from})
		}
	}
	for c := range classes {
		if e := t.edge[c]; e.n > 0 {
			add(e.path, classSize(c))
			add(t.choice[c], e.n+1)
		} else {
			add(t.choice[c], classSize(c))
		}
	}
	var b strings.Builder
	for i, r := range runs {
		if i > 0 {
			b.WriteString(", ")
		}
		if i+1 == len(runs) {
			fmt.Fprintf(&b, "%s from n = %d", t.names[r.path], r.from)
		} else {
			fmt.Fprintf(&b, "%s for n = %d to %d", t.names[r.path], r.from, runs[i+1].from-1)
		}
	}
	return b.String()
}

// curve is one path's cost as a function of size, from its wisdom.
type curve struct {
	sizes []float64
	ns    []float64
	limit float64 // the largest size it may run: +Inf unless it failed
}

// costs returns the curve of each path of w.
func (w *wisdom) costs() []curve {
	cs := make([]curve, len(w.Paths))
	for i, pw := range w.Paths {
		c := curve{limit: math.Inf(1)}
		for j := range pw.Sizes {
			c.sizes = append(c.sizes, float64(pw.Sizes[j]))
			c.ns = append(c.ns, pw.NS[j])
		}
		if pw.FailsFrom != 0 {
			c.limit = 0
			if len(c.sizes) > 0 {
				c.limit = c.sizes[len(c.sizes)-1]
			}
		}
		cs[i] = c
	}
	return cs
}

// at returns the curve's cost at size n: +Inf past its limit or with no
// measurement, the first measurement's at or below the first size, the
// line through the measurements on either side between two sizes, and
// past the last size the last two's line, rising.
func (c curve) at(n float64) float64 {
	k := len(c.sizes)
	switch {
	case k == 0 || n > c.limit:
		return math.Inf(1)
	case n <= c.sizes[0] || k == 1:
		return c.ns[0]
	}
	j := min(sort.SearchFloat64s(c.sizes, n), k-1) // c.sizes[j-1] < n <= c.sizes[j], or past the last
	slope := (c.ns[j] - c.ns[j-1]) / (c.sizes[j] - c.sizes[j-1])
	if n > c.sizes[j] {
		slope = max(slope, 0)
	}
	return max(c.ns[j-1]+slope*(n-c.sizes[j-1]), 0)
}

// edgeOf returns the edge of the class of sizes lo to hi whose choice is
// path choice: the last size a path ran before failing, if that lies in
// the class and that path is cheaper at lo than choice, and otherwise no
// edge.
func edgeOf(cs []curve, lo, hi, choice int) edge {
	best, cost := -1, cs[choice].at(float64(lo))
	for i, c := range cs {
		if t := c.at(float64(lo)); c.limit < float64(hi) && t < cost {
			best, cost = i, t
		}
	}
	if best < 0 {
		return edge{}
	}
	return edge{n: int(cs[best].limit), path: uint8(best)}
}

// fastest returns the index of the curve cheapest at size lo that may run
// every size up to hi; with none, the one that runs the largest sizes.
func fastest(cs []curve, lo, hi int) int {
	best, cost := -1, math.Inf(1)
	for i, c := range cs {
		if t := c.at(float64(lo)); c.limit >= float64(hi) && t < cost {
			best, cost = i, t
		}
	}
	if best >= 0 {
		return best
	}
	best = 0
	for i, c := range cs {
		if c.limit > cs[best].limit {
			best = i
		}
	}
	return best
}
