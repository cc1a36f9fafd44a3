//go:build cgo

package native

import (
	"runtime"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
	"github.com/zerocall/zerocall/kernel"
)

// direct pins the caller's slices with a runtime.Pinner for every call and
// unpins them after it, then calls C as straight does. Pinning is not
// needed for a pointer that C uses only during the call; direct exists to
// measure what a per-call Pin/Unpin costs (the benchmarks' row
// "cgo-direct"), the baseline that pattern 1 (pinning once) is judged
// against.
type direct struct {
	sealed.Type
	s straight
}

var _ measure.Kernels = (*direct)(nil)

// newDirect returns a direct running the variant v.
func newDirect(v zerocall.Variant) (*direct, error) {
	k, err := kernels(v)
	if err != nil {
		return nil, err
	}
	return &direct{s: straight{k: k}}, nil
}

// pin pins the backing arrays of the non-empty slices in ss.
func pin(p *runtime.Pinner, ss ...[]float64) {
	for _, s := range ss {
		if len(s) > 0 {
			p.Pin(&s[0])
		}
	}
}

// Sum returns the sum of x.
func (d *direct) Sum(x []float64) (float64, error) {
	var p runtime.Pinner
	pin(&p, x)
	defer p.Unpin()
	return d.s.Sum(x)
}

// Dot returns the inner product of x and y.
func (d *direct) Dot(x, y []float64) (float64, error) {
	var p runtime.Pinner
	pin(&p, x, y)
	defer p.Unpin()
	return d.s.Dot(x, y)
}

// Axpy sets out = a·x + y.
func (d *direct) Axpy(a float64, x, y, out []float64) error {
	var p runtime.Pinner
	pin(&p, x, y, out)
	defer p.Unpin()
	return d.s.Axpy(a, x, y, out)
}

// FIR filters x with taps into out.
func (d *direct) FIR(x, taps, out []float64) (int, error) {
	var p runtime.Pinner
	pin(&p, x, taps, out)
	defer p.Unpin()
	return d.s.FIR(x, taps, out)
}

// MatMul sets c = a·b.
func (d *direct) MatMul(a, b, c []float64, m int) error {
	var p runtime.Pinner
	pin(&p, a, b, c)
	defer p.Unpin()
	return d.s.MatMul(a, b, c, m)
}

// Close marks d closed; later calls return ErrClosed.
func (d *direct) Close() error { return d.s.Close() }

// Err returns ErrClosed after Close, and nil before.
func (d *direct) Err() error { return d.s.Err() }

// pinPerCall calls f once with the caller's slices, as Func.Call does,
// with each one pinned by a runtime.Pinner around the call: the per-call
// pinning baseline for a kernel of your own.
func (f *Func) pinPerCall(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	var pin runtime.Pinner
	defer pin.Unpin()
	for _, s := range bufs {
		if s.Len() > 0 {
			pin.Pin(s.Pointer())
		}
	}
	return f.Call(a, bufs...)
}
