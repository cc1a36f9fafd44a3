package zcbench

import (
	"fmt"
	"math"

	"github.com/zerocall/zerocall/internal/fit"
)

// model is the cost of one call as a line in the work it does (package
// fit): w is n for the O(n) kernels and m³ for matmul; a Curve's Fit.
type model = fit.Line

// crossover says where a foreign path f beats every pure-Go path gs.
type crossover struct {
	// From and To bound the work over which f is faster than all gs:
	// From < w < To. To is +Inf when f stays faster; From is 0 when f is
	// faster from the first call on.
	From, To float64
	// Never is set when there is no such work at all.
	Never bool
}

// crossoverOf solves perCall_f + perUnit_f·w < perCall_g + perUnit_g·w
// for every g at once.
func crossoverOf(f model, gs []model) crossover {
	c := crossover{From: 0, To: math.Inf(1)}
	for _, g := range gs {
		da, db := f.PerCall-g.PerCall, f.PerUnit-g.PerUnit // f-g = da + db·w < 0
		switch {
		case db < 0:
			c.From = max(c.From, da/-db)
		case db > 0:
			c.To = min(c.To, -da/db)
		case da >= 0:
			return crossover{Never: true}
		}
	}
	if c.From >= c.To {
		return crossover{Never: true}
	}
	return c
}

// within clips c to the work range [lo, hi] that was measured, and says
// it in words; n converts work back to a size. The sizes named are those
// strictly inside (From, To), where f is faster rather than tied: a bound
// that is a whole size is not one of them, and an interval with no whole
// size in it is never.
func (c crossover) within(lo, hi float64, n func(w float64) float64) (string, bool) {
	if c.Never || c.From >= hi || c.To <= lo {
		return "never in range", false
	}
	first, last := math.Floor(n(c.From))+1, math.Ceil(n(c.To))-1
	switch {
	case c.From < lo && c.To > hi:
		return "always in range", true
	case first > last:
		return "never in range", false
	case c.To > hi:
		return fmt.Sprintf("n ≥ %.0f", first), true
	case c.From < lo:
		return fmt.Sprintf("n ≤ %.0f only", last), true
	}
	return fmt.Sprintf("%.0f ≤ n ≤ %.0f only", first, last), true
}
