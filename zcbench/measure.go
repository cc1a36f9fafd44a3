package zcbench

import (
	"math"
	"runtime"
	"slices"
	"time"
)

// sample is one timed run of a call: the mean time per call over many
// calls, and the allocations per call.
type sample struct {
	iters  int
	ns     float64
	allocs float64
}

// measure times call for about d after finding how many calls fill it.
func measure(call func() error, d time.Duration) (sample, error) {
	// Calibrate: double the count until a run takes a tenth of d.
	iters := 1
	for {
		start := time.Now()
		for range iters {
			if err := call(); err != nil {
				return sample{}, err
			}
		}
		el := time.Since(start)
		if el >= d/10 || iters >= 1<<30 {
			iters = max(1, int(float64(iters)*float64(d)/float64(max(el, 1))))
			break
		}
		iters *= 2
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var el time.Duration
	// A clock coarser than the run (Windows' can be, under emulation)
	// reads 0: the run goes on, twice as long each time, until it ticks.
	for run, done := iters, 0; el <= 0; run *= 2 {
		for range run {
			if err := call(); err != nil {
				return sample{}, err
			}
		}
		done += run
		iters, el = done, time.Since(start)
	}
	runtime.ReadMemStats(&after)
	return sample{
		iters: iters,
		ns:    float64(el.Nanoseconds()) / float64(iters),
		// Whole allocations per call, rounded down, as
		// testing.AllocsPerRun counts them: the process's counter also
		// takes the runtime's own occasional allocation, which over the
		// few calls of a slow run (under emulation, say) would otherwise
		// read as a fraction of one per call.
		allocs: math.Floor(float64(after.Mallocs-before.Mallocs) / float64(iters)),
	}, nil
}

// stats summarises repeated samples: the median time, the spread as the
// median absolute deviation relative to the median (robust to the odd run
// a busy machine spoils), and the least allocation count: a call that
// allocates does so in every run, while the runtime's own occasional
// allocation falls in some, and in a run of one call (a slow machine's,
// or under emulation) reads as one per call.
type stats struct {
	median, spread, allocs float64
}

func summarise(ss []sample) stats {
	ns := make([]float64, len(ss))
	allocs := math.Inf(1)
	for i, s := range ss {
		ns[i] = s.ns
		allocs = min(allocs, s.allocs)
	}
	med := median(ns)
	dev := make([]float64, len(ns))
	for i, v := range ns {
		dev[i] = math.Abs(v - med)
	}
	return stats{median: med, spread: median(dev) / med, allocs: allocs}
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return m
}
