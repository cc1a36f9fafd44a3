//go:build cgo

package native

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
)

// What the benchmarks measure the library against, and nothing else
// calls: reached through internal/measure.
func init() {
	measure.CgoNoop = noop
	measure.Straight = func(v zerocall.Variant) (measure.Kernels, error) {
		s, err := newStraight(v)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	measure.Direct = func(v zerocall.Variant) (measure.Kernels, error) {
		d, err := newDirect(v)
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	measure.PinPerCall = func(f any) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if nf, ok := f.(*Func); ok {
			return nf.pinPerCall
		}
		return nil
	}
}
