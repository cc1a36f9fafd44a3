package kernel

import "testing"

func TestOverlaps(t *testing.T) {
	x := []float32{1, 2, 3, 4}
	s := SliceOf(x[1:])
	if !s.overlaps(SliceOf(x[3:])) || s.overlaps(SliceOf(x[:1])) || s.overlaps(SliceOf([]float32(nil))) {
		t.Error("overlaps is wrong")
	}
}

func TestElems(t *testing.T) {
	x := []float32{1, 2, 3}
	if got := Elems[float32](SliceOf(x[1:])); len(got) != 2 || &got[0] != &x[1] {
		t.Errorf("Elems[float32] = %v, want x[1:] itself", got)
	}
	if got := Elems[float64](SliceOf(x)); got != nil {
		t.Errorf("Elems[float64] of float32s = %v, want nil", got)
	}
	if got := Elems[float32](SliceOf(x[:0])); got != nil {
		t.Errorf("Elems of an empty slice = %v, want nil", got)
	}
}
