package native

// #include "zc_go.h"
import "C"

import (
	"sync/atomic"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// straight passes the caller's slices straight to C for the duration of
// one call: no copy, no pin, no buffer of its own. The cgo pointer rules
// allow it because []float64 holds no Go pointers and C keeps nothing
// after it returns; for the same reason cgo has nothing to check on a
// pointer to doubles, so the call costs no more than any cgo call.
//
// straight has no capacity limit and no lock: any number of goroutines may
// call one at once. It exists to be measured (the benchmarks' row
// "cgo-simd"), through internal/measure.
type straight struct {
	sealed.Type
	k      C.uintptr_t // the variant's table
	closed atomic.Bool
}

var _ measure.Kernels = (*straight)(nil)

// newStraight returns a straight running the variant v.
func newStraight(v zerocall.Variant) (*straight, error) {
	k, err := kernels(v)
	if err != nil {
		return nil, err
	}
	return &straight{k: k}, nil
}

// ptr returns the address of s's first element as C sees it.
func ptr(s []float64) *C.double {
	return (*C.double)(unsafe.Pointer(unsafe.SliceData(s)))
}

// Sum returns the sum of x.
func (s *straight) Sum(x []float64) (float64, error) {
	if s.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	return float64(C.zcg_sum(s.k, ptr(x), C.size_t(len(x)))), nil
}

// Dot returns the inner product of x and y.
func (s *straight) Dot(x, y []float64) (float64, error) {
	if s.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	return float64(C.zcg_dot(s.k, ptr(x), ptr(y), C.size_t(len(x)))), nil
}

// Axpy sets out = a·x + y.
func (s *straight) Axpy(a float64, x, y, out []float64) error {
	if s.closed.Load() {
		return zerocall.ErrClosed
	}
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	C.zcg_axpy(s.k, C.double(a), ptr(x), ptr(y), ptr(out), C.size_t(len(x)))
	return nil
}

// FIR filters x with taps into out.
func (s *straight) FIR(x, taps, out []float64) (int, error) {
	if s.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	if _, err := args.FIR(x, taps, out); err != nil {
		return 0, err
	}
	n := C.zcg_fir(s.k, ptr(x), C.size_t(len(x)), ptr(taps), C.size_t(len(taps)), ptr(out))
	return int(n), nil
}

// MatMul sets c = a·b.
func (s *straight) MatMul(a, b, c []float64, m int) error {
	if s.closed.Load() {
		return zerocall.ErrClosed
	}
	if _, err := args.MatMul(a, b, c, m); err != nil {
		return err
	}
	C.zcg_matmul(s.k, ptr(a), ptr(b), ptr(c), C.size_t(m))
	return nil
}

// Close marks s closed; later calls return ErrClosed. s holds nothing to
// release.
func (s *straight) Close() error {
	s.closed.Store(true)
	return nil
}

// Err returns ErrClosed after Close, and nil before.
func (s *straight) Err() error {
	if s.closed.Load() {
		return zerocall.ErrClosed
	}
	return nil
}
