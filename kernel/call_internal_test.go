package kernel

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
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

// TestCheckSlicesOverlap holds CheckSlices to the overlap rule it
// documents, pair by pair, on slices of every type cut at random from one
// block of memory, so that they touch, overlap by a byte, are the same
// slice or are empty inside another: a buffer the kernel writes may share
// bytes with no other buffer, unless the other is one the kernel only
// reads, given the very same slice, and the kernel has no NoAlias. The
// rule is written out here (wantOverlap) from the slices' byte ranges,
// not taken from the code under test, and the fast test is also held to
// slices, the pair-by-pair check it defers to. Each kernel has two
// buffers it writes, so that two of them given the same slice come up.
func TestCheckSlicesOverlap(t *testing.T) {
	bufs := []Buffer{
		{"a", Float64, In}, {"b", Uint8, Out}, {"c", Int32, InOut}, {"d", Int32, In}, {"e", Int32, Out},
	}
	for _, k := range []*Kernel{
		{Name: "mixed", Buffers: bufs},
		{Name: "mixed-noalias", Buffers: bufs, NoAlias: true},
	} {
		testCheckSlicesOverlap(t, k)
	}
}

func testCheckSlicesOverlap(t *testing.T, k *Kernel) {
	mem := make([]uint64, 16) // 128 bytes, aligned for every type
	base := unsafe.Pointer(unsafe.SliceData(mem))
	cut := func(t Type, off, n int) Slice {
		size := t.Size()
		off -= off % size
		return Slice{p: unsafe.Add(base, off), n: min(n, (128-off)/size), t: t}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var overlaps, fine, inPlace, writers int
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
		case 2: // not one either: e, which the kernel writes too, is c's slice
			bufs[4] = bufs[2]
		case 3: // nor this: d starts where c does, but is longer
			bufs[3] = Slice{p: bufs[2].p, n: bufs[2].n + 1, t: Int32}
		}
		var a Args
		got, want := k.CheckSlices(&a, bufs), wantOverlap(k, bufs)
		if (got == nil) != (want == "") {
			t.Fatalf("%s: slices %+v: CheckSlices says %v, want %s", k.Name, bufs, got, or(want, "no error"))
		}
		if rule := k.slices(bufs); (got == nil) != (rule == nil) {
			t.Fatalf("%s: slices %+v: CheckSlices says %v, slices %v", k.Name, bufs, got, rule)
		}
		if got != nil && (!errors.Is(got, errs.Overlap) || !strings.Contains(got.Error(), want)) {
			t.Fatalf("%s: slices %+v: CheckSlices says %v, want ErrOverlap saying %q", k.Name, bufs, got, want)
		}
		if got == nil {
			fine++
			if bufs[3] == bufs[2] && bufs[2].n > 0 {
				inPlace++
			}
		} else {
			overlaps++
			if bufs[4] == bufs[2] && bufs[2].n > 0 {
				writers++
			}
		}
	}
	if overlaps < 1000 || fine < 1000 || writers < 100 || (inPlace < 100) == !k.NoAlias {
		t.Errorf("%s: %d calls overlapped (%d of two written buffers on one slice) and %d did not (%d in place): the cases do not test each",
			k.Name, overlaps, writers, fine, inPlace)
	}
}

// wantOverlap returns what CheckSlices' error for bufs, slices for k's
// buffers, must say, "" if there must be none: it names the first buffer
// the kernel writes whose slice shares a byte with another buffer's, and
// the first such other buffer, unless it is one the kernel only reads,
// given the very same slice, and the kernel has no NoAlias.
func wantOverlap(k *Kernel, bufs []Slice) string {
	bs := k.Buffers
	span := func(s Slice) (lo, hi uintptr) {
		lo = uintptr(s.p)
		return lo, lo + uintptr(s.n*s.t.Size())
	}
	for i, s := range bufs {
		if bs[i].Role != Out && bs[i].Role != InOut {
			continue
		}
		slo, shi := span(s)
		for j, o := range bufs {
			olo, ohi := span(o)
			if j == i || slo >= shi || olo >= ohi || shi <= olo || ohi <= slo {
				continue // not both of some bytes, or no byte in common
			}
			same := o.p == s.p && o.n == s.n && o.t == s.t
			if bs[j].Role == In && same && !k.NoAlias {
				continue
			}
			return "writes buffer " + bs[i].Name + ", whose slice overlaps that of buffer " + bs[j].Name
		}
	}
	return ""
}

// or returns s, or def if s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
