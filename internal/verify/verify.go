// Package verify compares the outcome of one call of a kernel with its
// Go reference's, as the test kit (zctest) and the benchmark kit
// (zcbench, before it times a row) both do: the same rules, written
// once.
package verify

import (
	"bytes"
	"fmt"
	"math"

	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// Untouched checks what a call of k must leave as it was, byte for byte
// against in, the call's slices as they were before it: every buffer the
// kernel only reads, and the elements of a Count kernel's counted buffer
// past the count it returned (ret). got are the call's slices after it.
func Untouched(k *kernel.Kernel, in, got []kernel.Slice, ret kernel.Return) error {
	for i, b := range k.Buffers {
		from := 0
		switch {
		case b.Role == kernel.In:
		case k.Result == kernel.Count && i == k.CountOf:
			from = int(min(max(ret.N, 0), int64(got[i].Len())))
		default:
			continue
		}
		g, w := funcs.Bytes(got[i]), funcs.Bytes(in[i])
		size := b.Type.Size()
		if j := firstDiff(g[from*size:], w[from*size:]); j >= 0 {
			e := from + j/size
			if b.Role == kernel.In {
				return fmt.Errorf("%s[%d] = %v, which the kernel only reads, was %v", b.Name, e, Elem(got[i], e), Elem(in[i], e))
			}
			return fmt.Errorf("%s[%d] = %v, past the %d elements the kernel reported, was %v", b.Name, e, Elem(got[i], e), ret.N, Elem(in[i], e))
		}
	}
	return nil
}

// firstDiff returns the index of the first byte at which a and b differ,
// or -1.
func firstDiff(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

// Outputs compares the outcome of a call of k (got, and what it returned,
// ret) with its reference's (want, wret): the count or the float result,
// and the elements of each buffer the kernel writes (of a Count kernel's
// counted buffer, the first wret.N). Floats agree within the relative
// tolerance tol (Agree); integers must be equal.
func Outputs(k *kernel.Kernel, tol float64, got []kernel.Slice, ret kernel.Return, want []kernel.Slice, wret kernel.Return) error {
	if ret.N != wret.N {
		return fmt.Errorf("returned %d, want %d", ret.N, wret.N)
	}
	if k.Result == kernel.Float && !Agree(tol, ret.F, wret.F) {
		return fmt.Errorf("result %v, want %v", ret.F, wret.F)
	}
	for i, b := range k.Buffers {
		if b.Role == kernel.In {
			continue
		}
		n := want[i].Len()
		if k.Result == kernel.Count && i == k.CountOf {
			n = int(wret.N)
		}
		if got[i].Len() < n {
			return fmt.Errorf("%s holds %d elements, want %d", b.Name, got[i].Len(), n)
		}
		if j := mismatch(tol, got[i], want[i], n); j >= 0 {
			return fmt.Errorf("%s[%d] = %v, want %v", b.Name, j, Elem(got[i], j), Elem(want[i], j))
		}
	}
	return nil
}

// mismatch returns the first of the first n elements at which got and
// want disagree (Agree for floats, equality for integers), or -1.
func mismatch(tol float64, got, want kernel.Slice, n int) int {
	switch got.Type() {
	case kernel.Float64:
		return first(kernel.Elems[float64](got)[:n], kernel.Elems[float64](want)[:n], func(g, w float64) bool { return Agree(tol, g, w) })
	case kernel.Float32:
		return first(kernel.Elems[float32](got)[:n], kernel.Elems[float32](want)[:n], func(g, w float32) bool { return Agree(tol, float64(g), float64(w)) })
	case kernel.Int64:
		return first(kernel.Elems[int64](got)[:n], kernel.Elems[int64](want)[:n], func(g, w int64) bool { return g == w })
	case kernel.Int32:
		return first(kernel.Elems[int32](got)[:n], kernel.Elems[int32](want)[:n], func(g, w int32) bool { return g == w })
	}
	return first(kernel.Elems[uint8](got)[:n], kernel.Elems[uint8](want)[:n], func(g, w uint8) bool { return g == w })
}

// first returns the index of the first pair of got and want that agree
// does not accept, or -1.
func first[T kernel.Elem](got, want []T, agree func(g, w T) bool) int {
	for j := range want {
		if !agree(got[j], want[j]) {
			return j
		}
	}
	return -1
}

// Agree reports whether got is want within the relative tolerance tol:
// NaN only meets NaN; with tol 0, or for an infinite want, the bits must
// be equal but for NaN's (so -0 is not +0).
func Agree(tol, got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if tol == 0 || math.IsInf(want, 0) {
		return got == want && math.Signbit(got) == math.Signbit(want)
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// Elem returns element i of s: a float64 for a float type, an int64 for
// an integer one, exactly.
func Elem(s kernel.Slice, i int) any {
	switch s.Type() {
	case kernel.Float64:
		return kernel.Elems[float64](s)[i]
	case kernel.Float32:
		return float64(kernel.Elems[float32](s)[i])
	case kernel.Int64:
		return kernel.Elems[int64](s)[i]
	case kernel.Int32:
		return int64(kernel.Elems[int32](s)[i])
	}
	return int64(kernel.Elems[uint8](s)[i])
}
