// Package args validates kernel arguments once, for every backend, so that
// they all accept and reject exactly the same inputs with the same errors.
package args

import (
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// Dot checks the operands of a dot product.
func Dot(x, y []float64) error {
	if len(x) != len(y) {
		return errs.Length
	}
	return nil
}

// Axpy checks the operands of out = a·x + y. out may be x or y exactly.
func Axpy(x, y, out []float64) error {
	n := len(x)
	if len(y) != n || len(out) < n {
		return errs.Length
	}
	out = out[:n]
	if partial(out, x) || partial(out, y) {
		return errs.Overlap
	}
	return nil
}

// FIR checks the operands of a valid-mode filter and returns its number of
// outputs.
func FIR(x, taps, out []float64) (int, error) {
	n, k := len(x), len(taps)
	if k == 0 || k > n {
		return 0, errs.Argument
	}
	nout := n - k + 1
	if len(out) < nout {
		return 0, errs.Length
	}
	out = out[:nout]
	if Overlap(out, x) || Overlap(out, taps) {
		return 0, errs.Overlap
	}
	return nout, nil
}

// MatMul checks the operands of an m×m matrix product and returns m·m.
func MatMul(a, b, c []float64, m int) (int, error) {
	mm, err := Square(m)
	if err != nil {
		return 0, err
	}
	if len(a) < mm || len(b) < mm || len(c) < mm {
		return 0, errs.Length
	}
	c = c[:mm]
	if Overlap(c, a[:mm]) || Overlap(c, b[:mm]) {
		return 0, errs.Overlap
	}
	return mm, nil
}

// Square returns m·m, or ErrArgument when m is negative or m·m overflows.
func Square(m int) (int, error) {
	if m < 0 || (m > 0 && m > maxInt/m) {
		return 0, errs.Argument
	}
	return m * m, nil
}

// FIRN checks in-place filter sizes against the capacities of the input
// and taps buffers.
func FIRN(n, k, capacity, tapsCap int) error {
	if n < 0 || k <= 0 || k > n {
		return errs.Argument
	}
	if n > capacity || k > tapsCap {
		return errs.Capacity
	}
	return nil
}

// N checks an in-place length against a capacity.
func N(n, capacity int) error {
	if n < 0 {
		return errs.Argument
	}
	if n > capacity {
		return errs.Capacity
	}
	return nil
}

const maxInt = int(^uint(0) >> 1)

// span returns the byte addresses [lo, hi) of s.
func span(s []float64) (lo, hi uintptr) {
	lo = uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	return lo, lo + uintptr(len(s))*8
}

// Overlap reports whether two non-empty slices share any element.
func Overlap(a, b []float64) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	alo, ahi := span(a)
	blo, bhi := span(b)
	return alo < bhi && blo < ahi
}

// partial reports whether a and b overlap without being the same slice.
func partial(a, b []float64) bool {
	return Overlap(a, b) && (len(a) != len(b) || &a[0] != &b[0])
}
