package fit

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFitRecovers fits synthetic timings with 3% noise and gets the
// per-call and per-unit costs back.
func TestFitRecovers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, want := range []Line{{PerCall: 40, PerUnit: 0.125}, {PerCall: 2, PerUnit: 1.1}, {PerCall: 300, PerUnit: 0.01}, {PerCall: 0, PerUnit: 3}} {
		var w, ts []float64
		for _, n := range []float64{1, 4, 16, 64, 256, 1000, 4096, 16384, 65536, 1e6} {
			w = append(w, n)
			ts = append(ts, want.At(n)*(1+0.03*(2*r.Float64()-1)))
		}
		got := Fit(w, ts)
		if !near(got.PerUnit, want.PerUnit, 0.05) || (want.PerCall > 0 && !near(got.PerCall, want.PerCall, 0.1)) || got.PerCall < 0 {
			t.Errorf("fit of %+v = %+v", want, got)
		}
	}
}

func near(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

// TestFitOneWork fits points that all do the same work, where rounding
// can leave the normal equations' determinant a little off zero: the
// line is the per-unit cost alone, through the points' weighted mean,
// never a negative cost or one that misses them.
func TestFitOneWork(t *testing.T) {
	for _, c := range []struct{ w, t []float64 }{
		{[]float64{717753}, []float64{540459.3137970158}},
		{[]float64{346595}, []float64{278736.0085481942}},
		{[]float64{100, 100}, []float64{50, 60}},
		{[]float64{0, 0}, []float64{7, 7}},
	} {
		l := Fit(c.w, c.t)
		if got := l.At(c.w[0]); l.PerCall < 0 || l.PerUnit < 0 || got < slices.Min(c.t)*(1-1e-12) || got > slices.Max(c.t)*(1+1e-12) {
			t.Errorf("Fit(%v, %v) = %+v: %v ns at w = %v", c.w, c.t, l, got, c.w[0])
		}
	}
	if l := Fit(nil, nil); l != (Line{}) {
		t.Errorf("Fit of no points = %+v, want the zero Line", l)
	}
}

// TestFitFlat fits a call whose time does not grow with its work, timed
// a little faster at the large sizes: the per-unit cost is zero, not a
// negative one, and the per-call cost the points' weighted mean.
func TestFitFlat(t *testing.T) {
	w := []float64{1, 16, 256, 4096, 65536}
	ts := []float64{10.2, 10.1, 10, 9.9, 9.8}
	l := Fit(w, ts)
	if l.PerUnit != 0 || l.PerCall < 9.8 || l.PerCall > 10.2 {
		t.Errorf("fit of a flat time = %+v, want a per-unit cost of 0 and a per-call cost between 9.8 and 10.2", l)
	}
}
