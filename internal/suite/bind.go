package suite

import (
	"errors"
	"fmt"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// bind returns one call of in.Kernel on k, and a function that returns
// the result of the last call.
func bind(impl Impl, k measure.Kernels, in *Inputs) (call func() error, result func() []float64, err error) {
	var s float64
	scalar := func() []float64 { return []float64{s} }
	n, mm, nout := in.N, in.N*in.N, in.N-len(in.Taps)+1
	if !impl.InPlace {
		switch in.Kernel {
		case Sum:
			return func() (err error) { s, err = k.Sum(in.X); return }, scalar, nil
		case Dot:
			return func() (err error) { s, err = k.Dot(in.X, in.Y); return }, scalar, nil
		case Axpy:
			return func() error { return k.Axpy(in.A, in.X, in.Y, in.Out) }, func() []float64 { return in.Out }, nil
		case FIR:
			return func() error { _, err := k.FIR(in.X, in.Taps, in.Out); return err },
				func() []float64 { return in.Out[:nout] }, nil
		case MatMul:
			return func() error { return k.MatMul(in.X, in.Y, in.Out, n) }, func() []float64 { return in.Out }, nil
		}
		return nil, nil, fmt.Errorf("unknown kernel %q", in.Kernel)
	}
	ip, ok := k.(*zerocall.Instance)
	if !ok {
		return nil, nil, errors.New("no regions to call in place")
	}
	r := ip.Regions()
	if len(in.X) > len(r.X) || len(in.Taps) > len(r.Taps) {
		return nil, nil, zerocall.ErrCapacity
	}
	// The views each call runs on in place, made once.
	x, y, taps, out := r.X[:copy(r.X, in.X)], r.Y[:copy(r.Y, in.Y)], r.Taps[:copy(r.Taps, in.Taps)], r.Out
	switch in.Kernel {
	case Sum:
		return func() (err error) { s, err = ip.Sum(x); return }, scalar, nil
	case Dot:
		return func() (err error) { s, err = ip.Dot(x, y); return }, scalar, nil
	case Axpy:
		return func() error { return ip.Axpy(in.A, x, y, out[:n]) }, func() []float64 { return r.Out[:n] }, nil
	case FIR:
		return func() error { _, err := ip.FIR(x, taps, out); return err },
			func() []float64 { return r.Out[:nout] }, nil
	case MatMul:
		return func() error { return ip.MatMul(x, y, out, n) }, func() []float64 { return r.Out[:mm] }, nil
	}
	return nil, nil, fmt.Errorf("unknown kernel %q", in.Kernel)
}

// check compares a result with the naive reference.
func check(in *Inputs, got []float64) error {
	switch in.Kernel {
	case Sum:
		return kerneltest.CheckSum(in.X, got[0])
	case Dot:
		return kerneltest.CheckDot(in.X, in.Y, got[0])
	case Axpy:
		return kerneltest.CheckAxpy(in.A, in.X, in.Y, got)
	case FIR:
		return kerneltest.CheckFIR(in.X, in.Taps, got)
	case MatMul:
		return kerneltest.CheckMatMul(in.X, in.Y, got, in.N)
	}
	return fmt.Errorf("unknown kernel %q", in.Kernel)
}
