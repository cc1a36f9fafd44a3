// Package fit fits the cost of a call as a line in the work it does,
// t(w) = PerCall + PerUnit·w nanoseconds: the benchmark kit's curves and
// the planner's calibration share it.
package fit

import "slices"

// Line is the cost of one call: PerCall nanoseconds whatever the work,
// and PerUnit per unit of work (an element, or a multiply-add).
type Line struct {
	PerCall float64 `json:"per_call_ns"`
	PerUnit float64 `json:"per_unit_ns"`
}

// At returns the line's time for work w.
func (l Line) At(w float64) float64 { return l.PerCall + l.PerUnit*w }

// Fit returns the line through the points (w[i], t[i]) that minimises the
// relative error Σ((PerCall + PerUnit·w - t)/t)², so that the small sizes,
// where the per-call cost shows, weigh as much as the large ones, where
// the per-unit cost does; through two points, it is the line through
// both. A negative cost, which noise can give (a per-call cost near zero,
// or a per-unit cost of a call whose time does not grow), is clamped to
// zero and the other cost refitted. Points that all do the same work (one
// point, say) cannot tell the two costs apart: the line is then the
// per-unit cost alone, through the origin. No points give the zero Line.
// The times must be positive.
func Fit(w, t []float64) Line {
	if len(w) == 0 {
		return Line{}
	}
	var s00, s01, s11, r0, r1 float64 // the weighted normal equations
	for i := range w {
		q := 1 / (t[i] * t[i])
		s00 += q
		s01 += q * w[i]
		s11 += q * w[i] * w[i]
		r0 += q * t[i]
		r1 += q * w[i] * t[i]
	}
	if slices.Min(w) == slices.Max(w) {
		// The determinant is zero here, but rounding may not make it so.
		if s11 == 0 {
			return Line{PerCall: r0 / s00} // no work: the time is all per call
		}
		return Line{PerUnit: r1 / s11}
	}
	det := s00*s11 - s01*s01
	l := Line{PerCall: (r0*s11 - r1*s01) / det, PerUnit: (s00*r1 - s01*r0) / det}
	switch {
	case l.PerCall < 0:
		l = Line{PerUnit: r1 / s11}
	case l.PerUnit < 0:
		l = Line{PerCall: r0 / s00}
	}
	return l
}
