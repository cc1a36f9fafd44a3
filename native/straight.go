package native

// #include "zc_go.h"
import "C"

import (
	"sync/atomic"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/sealed"
	"github.com/zerocall/zerocall/kernel"
)

// straight passes the caller's slices straight to C for the duration of
// one call: no copy, no pin, no buffer of its own. The cgo pointer rules
// allow it because []float64 holds no Go pointers and C keeps nothing
// after it returns; for the same reason cgo has nothing to check on a
// pointer to doubles, so the call costs no more than any cgo call.
//
// straight has no capacity limit and no lock: any number of goroutines may
// call one Straight at once.
type straight struct {
	sealed.Type
	k      C.uintptr_t // the variant's table
	closed atomic.Bool
}

var _ zerocall.Kernels = (*straight)(nil)

// newStraight returns a Straight running the variant v.
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

// Close marks s closed; later calls return ErrClosed. Straight holds
// nothing to release.
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

// Straight calls f once with the caller's slices, one for each of the
// kernel's buffers in declared order, and the scalars of a (a.Len is
// ignored: each length is its slice's). Like the Straight type, it copies
// and pins nothing: the pointers are valid for the duration of the call,
// and the frame is built on the C stack, so any number of goroutines may
// call it at once. (Buffers hold numbers, never Go pointers, so there is
// nothing for cgo to check.) Slices of the wrong number or type fail with
// kernel.ErrKernel or zerocall.ErrType; a buffer the kernel writes may not
// overlap another buffer, except by being the very same slice as one it
// only reads (zerocall.ErrOverlap). A kernel that reports more outputs
// than its counted buffer has fails the call with zerocall.ErrBroken; f
// keeps no state, so later calls are not affected.
func (f *Func) Straight(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	c := *a
	if err := f.k.CheckSlices(&c, bufs); err != nil {
		return kernel.Return{}, err
	}
	var p [kernel.MaxBuffers]*C.char
	for i, s := range bufs {
		p[i] = (*C.char)(s.Pointer())
	}
	n, x, i := &c.Len, &c.F, &c.I
	var r C.zcg_ret
	if f.small {
		r = C.zcg_pass4(f.fn, f.ctx, p[0], p[1], p[2], p[3],
			C.int64_t(n[0]), C.int64_t(n[1]), C.int64_t(n[2]), C.int64_t(n[3]),
			C.double(x[0]), C.double(x[1]), C.int64_t(i[0]), C.int64_t(i[1]))
	} else {
		r = C.zcg_pass8(f.fn, f.ctx, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
			C.int64_t(n[0]), C.int64_t(n[1]), C.int64_t(n[2]), C.int64_t(n[3]),
			C.int64_t(n[4]), C.int64_t(n[5]), C.int64_t(n[6]), C.int64_t(n[7]),
			C.double(x[0]), C.double(x[1]), C.double(x[2]), C.double(x[3]),
			C.int64_t(i[0]), C.int64_t(i[1]), C.int64_t(i[2]), C.int64_t(i[3]))
	}
	return f.k.Returned(int64(r.ret), float64(r.result), &c)
}
