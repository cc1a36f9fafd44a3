package zctest

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// specialValues are the floats a buffer the kernel reads holds with
// special inputs: NaN, ±Inf, -0, and a float64 and a float32 subnormal
// (the float64 one is +0 as a float32).
var specialValues = []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), math.SmallestNonzeroFloat64 * 3, 1e-40}

// fill returns n elements of type t, off elements past a 64-byte
// boundary in memory of its own with guards around it (alloc), with
// values from seed; with special, floats include specialValues at the
// places of buffer number buffer (specialPlaces).
func fill(t kernel.Type, n, off int, seed uint64, special bool, buffer int) kernel.Slice {
	rng := seed*0x9e3779b97f4a7c15 + 1
	next := func() float64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return float64(rng>>11)/(1<<53)*4 - 2 // in [-2, 2)
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = next()
	}
	if special && funcs.Float(t) {
		places := specialPlaces(n, buffer)
		// Backwards, so that where a short buffer has one place for
		// several values, NaN is the one it holds.
		for v := len(places) - 1; v >= 0; v-- {
			vals[places[v]] = specialValues[v]
		}
	}
	s := funcs.SliceIn(alloc(n*t.Size(), off*t.Size()), n, t)
	switch t {
	case kernel.Float64:
		copy(kernel.Elems[float64](s), vals)
	case kernel.Float32:
		e := kernel.Elems[float32](s)
		for i, v := range vals {
			e[i] = float32(v)
		}
	case kernel.Int64:
		e := kernel.Elems[int64](s)
		for i, v := range vals {
			e[i] = int64(v * 1e6)
		}
	case kernel.Int32:
		e := kernel.Elems[int32](s)
		for i, v := range vals {
			e[i] = int32(v * 1e4)
		}
	default:
		e := kernel.Elems[uint8](s)
		for i, v := range vals {
			e[i] = uint8(int(v*64) & 0xff)
		}
	}
	return s
}

// specialPlaces returns where, in a buffer of n elements, buffer number
// b holds each of specialValues. NaN has a place of its own in each
// buffer, where the other buffers hold ordinary numbers; the other values
// are shifted by one place from each buffer to the next, so that they
// meet ordinary numbers and each other (+Inf in one buffer beside -Inf in
// the next). The places are spread over the buffer, and each buffer's
// are distinct when n is at least len(specialValues).
func specialPlaces(n, b int) []int {
	if n <= 0 {
		return nil
	}
	// Slot i < maxBuffers is buffer i's NaN; buffer i holds value v > 0
	// in slot maxBuffers+i+v-1.
	slots := make([]int, 0, 2*maxBuffers+len(specialValues)-2)
	for s := range min(n, cap(slots)) {
		j := (3 + 11*s) % n
		for isIn(slots, j) {
			j = (j + 1) % n
		}
		slots = append(slots, j)
	}
	places := make([]int, len(specialValues))
	for v := range places {
		s := b
		if v > 0 {
			s = maxBuffers + b + v - 1
		}
		j := slots[s%len(slots)]
		for n >= len(places) && isIn(places[:v], j) {
			j = (j + 1) % n
		}
		places[v] = j
	}
	return places
}

// isIn reports whether x is one of xs.
func isIn(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// clone returns copies of the slices, each in memory of its own with
// guards around it (alloc), at the same offset from a cache line as the
// original, so that a misaligned input stays misaligned.
func clone(in []kernel.Slice) []kernel.Slice {
	out := make([]kernel.Slice, len(in))
	for i, s := range in {
		b := funcs.Bytes(s)
		out[i] = funcs.SliceIn(alloc(len(b), int(uintptr(s.Pointer())%64)), s.Len(), s.Type())
		copy(funcs.Bytes(out[i]), b)
	}
	return out
}

// guardBytes is how many bytes of guard alloc puts on each side of what
// it allocates.
const guardBytes = 64

// guardByte is what a guard holds: every byte of it, until a kernel
// writes where it must not. As a float it is close to zero (-2.9e-16 as
// a float32): rereadByte is one far from it.
const guardByte = 0xa5

// rereadByte is what check sets the guards to for its second call: as a
// float, near the largest (3.4e38 as a float32, 1.4e306 as a float64),
// so that a kernel that reads past its slices reads other values there
// than in the first call.
const rereadByte = 0x7f

// alloc returns size bytes of fresh memory that start align bytes past
// a 64-byte boundary (mod 64), with guardBytes of guard, each byte
// guardByte, before and after them in the same allocation: the memory of
// every slice the kit hands a kernel, so that guarded can tell whether a
// call wrote outside its slices.
func alloc(size, align int) unsafe.Pointer {
	raw := make([]byte, size+2*guardBytes+64)
	start := guardBytes + (align%64-int(uintptr(unsafePointer(raw))%64)+128)%64
	setGuard(raw[:start], guardByte)
	setGuard(raw[start+size:], guardByte)
	return unsafe.Pointer(&raw[start])
}

// setGuard sets every byte of b to g.
func setGuard(b []byte, g byte) {
	for i := range b {
		b[i] = g
	}
}

// unguarded returns the index of the first byte of b that is not g, or
// -1.
func unguarded(b []byte, g byte) int {
	for i, c := range b {
		if c != g {
			return i
		}
	}
	return -1
}

// guardsOf returns the guards before and after b, a slice that fill or
// clone made, or nil ones for a nil slice (a view of no elements).
func guardsOf(b kernel.Slice) (before, after []byte) {
	if b.Pointer() == nil {
		return nil, nil
	}
	n := len(funcs.Bytes(b))
	return unsafe.Slice((*byte)(unsafe.Add(b.Pointer(), -guardBytes)), guardBytes),
		unsafe.Slice((*byte)(unsafe.Add(b.Pointer(), n)), guardBytes)
}

// guarded returns an error if a byte of the guards around any of bufs,
// slices that fill or clone made, was written: a kernel writes nothing
// outside the slices it is given, and nothing at all through an empty
// one, which lies between guards as a caller's x[:0] lies in its array.
// (A nil one, a view of no elements, has none.)
func (s Spec) guarded(bufs []kernel.Slice) error { return s.guardedBy(bufs, guardByte) }

// guardedBy is guarded for guards that hold g.
func (s Spec) guardedBy(bufs []kernel.Slice, g byte) error {
	for i, b := range bufs {
		before, after := guardsOf(b)
		if j := unguarded(after, g); j >= 0 {
			return fmt.Errorf("the call wrote past the end of %s: byte %d after its last element (of %d) is %#02x, was %#02x",
				s.bufName(i), j, b.Len(), after[j], g)
		}
		if j := unguarded(before, g); j >= 0 {
			return fmt.Errorf("the call wrote before the start of %s: byte %d before its first element is %#02x, was %#02x",
				s.bufName(i), guardBytes-j, before[j], g)
		}
	}
	return nil
}

// reguard sets the guards around each of bufs to g.
func reguard(bufs []kernel.Slice, g byte) {
	for _, b := range bufs {
		before, after := guardsOf(b)
		setGuard(before, g)
		setGuard(after, g)
	}
}

// bufName names buffer i of the kernel.
func (s Spec) bufName(i int) string {
	if bs := s.Func.Kernel().Buffers; i < len(bs) {
		return "buffer " + bs[i].Name
	}
	return fmt.Sprintf("slice %d", i)
}
