package kernel

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

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

// TestCheckSlicesOverlap holds CheckSlices' fast overlap test to the
// rule of slices, pair by pair, on slices of every type cut at random
// from one block of memory, so that they touch, overlap by a byte, are
// the same slice or are empty inside another.
func TestCheckSlicesOverlap(t *testing.T) {
	k := &Kernel{Name: "mixed", Buffers: []Buffer{
		{"a", Float64, In}, {"b", Uint8, Out}, {"c", Int32, InOut}, {"d", Int32, In},
	}}
	mem := make([]uint64, 16) // 128 bytes, aligned for every type
	base := unsafe.Pointer(unsafe.SliceData(mem))
	cut := func(t Type, off, n int) Slice {
		size := t.Size()
		off -= off % size
		return Slice{p: unsafe.Add(base, off), n: min(n, (128-off)/size), t: t}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var overlaps, fine int
	for range 20000 {
		bufs := make([]Slice, len(k.Buffers))
		for i, b := range k.Buffers {
			bufs[i] = cut(b.Type, rng.IntN(128), rng.IntN(6))
		}
		switch rng.IntN(8) {
		case 0: // an update in place: d, which c's kernel only reads, is c's slice
			bufs[3] = bufs[2]
		case 1: // not one: a starts and counts as c does, but holds wider values
			bufs[0] = Slice{p: bufs[2].p, n: bufs[2].n, t: Float64}
		}
		var a Args
		got, want := k.CheckSlices(&a, bufs), k.slices(bufs)
		if (got == nil) != (want == nil) {
			t.Fatalf("slices %+v: CheckSlices says %v, the rule %v", bufs, got, want)
		}
		if got == nil {
			fine++
		} else {
			overlaps++
		}
	}
	if overlaps < 1000 || fine < 1000 {
		t.Errorf("%d calls overlapped and %d did not: the cases do not test both", overlaps, fine)
	}
}
