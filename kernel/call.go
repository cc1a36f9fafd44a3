package kernel

import "unsafe"

// Slice is a caller's slice of any element type, as hosts pass it: its
// address, length and type. SliceOf makes one without allocating.
type Slice struct {
	p unsafe.Pointer
	n int
	t Type
}

// SliceOf returns s as a Slice.
func SliceOf[T Elem](s []T) Slice {
	return Slice{p: unsafe.Pointer(unsafe.SliceData(s)), n: len(s), t: TypeOf[T]()}
}

// Len returns the number of elements.
func (s Slice) Len() int { return s.n }

// Type returns the element type.
func (s Slice) Type() Type { return s.t }

// Pointer returns the address of the first element (nil for a nil slice).
func (s Slice) Pointer() unsafe.Pointer { return s.p }

// Bytes returns the slice's memory as bytes.
func (s Slice) Bytes() []byte {
	if s.n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(s.p), s.n*s.t.Size())
}

// Overlaps reports whether s and o share any byte.
func (s Slice) Overlaps(o Slice) bool {
	if s.n == 0 || o.n == 0 {
		return false
	}
	a, b := uintptr(s.p), uintptr(o.p)
	return a < b+uintptr(o.n*o.t.Size()) && b < a+uintptr(s.n*s.t.Size())
}

// Return is what a call returns: the kernel's return value (for a Count
// kernel, the elements it wrote) and its float result (for a Float
// kernel).
type Return struct {
	N int64
	F float64
}

// SliceAt returns the n elements of type t at p as a Slice, for hosts
// whose buffers are not Go slices.
func SliceAt(p unsafe.Pointer, n int, t Type) Slice {
	return Slice{p: p, n: n, t: t}
}
