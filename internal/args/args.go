// Package args validates the built-in kernels' arguments once, for every
// backend and path, so that they all accept and reject exactly the same
// inputs with the same errors. The length rules are written once, on
// lengths alone (DotLens, AxpyLens, FIRLens, MatMulLens): the typed calls
// (Dot, Axpy, FIR, MatMul) add the overlap rules on top, and package
// kernel's Check functions of the built-ins add the numbers of the call.
package args

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// The errors of the checks: fixed, so that refusing a call allocates
// nothing, and each naming the kernel and the operands at fault.
var (
	errDot         = fmt.Errorf("%w: dot: x and y differ in length", errs.Length)
	errAxpyY       = fmt.Errorf("%w: axpy: x and y differ in length", errs.Length)
	errAxpyOut     = fmt.Errorf("%w: axpy: out is shorter than x", errs.Length)
	errAxpyAlias   = fmt.Errorf("%w: axpy: out overlaps x or y without being the same slice", errs.Overlap)
	errFIRNoTaps   = fmt.Errorf("%w: fir: no taps", errs.Argument)
	errFIRTaps     = fmt.Errorf("%w: fir: more taps than inputs", errs.Argument)
	errFIROut      = fmt.Errorf("%w: fir: out is shorter than the len(x)-len(taps)+1 outputs", errs.Length)
	errFIRAlias    = fmt.Errorf("%w: fir: out overlaps x or taps", errs.Overlap)
	errTapsCap     = fmt.Errorf("%w: fir: more taps than the Taps region holds", errs.Capacity)
	errOrder       = fmt.Errorf("%w: matmul: the order m is negative, or m·m overflows an int", errs.Argument)
	errMatMulLen   = fmt.Errorf("%w: matmul: a, b or c is shorter than m·m", errs.Length)
	errMatMulAlias = fmt.Errorf("%w: matmul: c overlaps a or b", errs.Overlap)
	errMatMulCap   = fmt.Errorf("%w: matmul: m·m is past the capacity of the regions", errs.Capacity)
)

// DotLens checks the lengths of a dot product's x and y.
func DotLens(nx, ny int) error {
	if nx != ny {
		return errDot
	}
	return nil
}

// AxpyLens checks the lengths of out = a·x + y.
func AxpyLens(nx, ny, nout int) error {
	if ny != nx {
		return errAxpyY
	}
	if nout < nx {
		return errAxpyOut
	}
	return nil
}

// FIRLens checks the lengths of a valid-mode filter of k taps over n
// inputs into nout outputs, and returns the number of outputs it writes.
func FIRLens(n, k, nout int) (int, error) {
	if k == 0 {
		return 0, errFIRNoTaps
	}
	if k > n {
		return 0, errFIRTaps
	}
	if nout < n-k+1 {
		return 0, errFIROut
	}
	return n - k + 1, nil
}

// MatMulLens checks the order m of a matrix product and the lengths of a,
// b and c, and returns m·m.
func MatMulLens(m, na, nb, nc int) (int, error) {
	mm, err := Square(m)
	if err != nil {
		return 0, err
	}
	if na < mm || nb < mm || nc < mm {
		return 0, errMatMulLen
	}
	return mm, nil
}

// Dot checks the operands of a dot product.
func Dot(x, y []float64) error { return DotLens(len(x), len(y)) }

// The overlap rules below are those of kernel.CheckSlices for the
// built-ins' descriptions, which every generic call runs: on the whole
// slices, and an output may be an input exactly only where the kernel
// can update in place (axpy; fir and matmul are NoAlias).

// Axpy checks the operands of out = a·x + y. out may be x or y exactly.
func Axpy(x, y, out []float64) error {
	if err := AxpyLens(len(x), len(y), len(out)); err != nil {
		return err
	}
	if partial(out, x) || partial(out, y) {
		return errAxpyAlias
	}
	return nil
}

// FIR checks the operands of a valid-mode filter and returns its number of
// outputs.
func FIR(x, taps, out []float64) (int, error) {
	nout, err := FIRLens(len(x), len(taps), len(out))
	if err != nil {
		return 0, err
	}
	if Overlap(out, x) || Overlap(out, taps) {
		return 0, errFIRAlias
	}
	return nout, nil
}

// MatMul checks the operands of an m×m matrix product and returns m·m.
func MatMul(a, b, c []float64, m int) (int, error) {
	mm, err := MatMulLens(m, len(a), len(b), len(c))
	if err != nil {
		return 0, err
	}
	if Overlap(c, a) || Overlap(c, b) {
		return 0, errMatMulAlias
	}
	return mm, nil
}

// Square returns m·m, or ErrArgument when m is negative or m·m overflows.
func Square(m int) (int, error) {
	if m < 0 || (m > 0 && m > maxInt/m) {
		return 0, errOrder
	}
	return m * m, nil
}

// Taps checks a filter's k taps against the capacity of the taps buffer.
func Taps(k, tapsCap int) error {
	if k > tapsCap {
		return errTapsCap
	}
	return nil
}

// MatMulCap checks a matmul's m·m, mm, against the capacity of the
// regions.
func MatMulCap(mm, capacity int) error {
	if mm > capacity {
		return errMatMulCap
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
