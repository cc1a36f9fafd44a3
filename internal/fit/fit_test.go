package fit

import (
	"math"
	"math/rand/v2"
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
