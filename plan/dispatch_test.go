package plan

import (
	"testing"

	"github.com/zerocall/zerocall/kernel"
)

// nothing is a path that does nothing, as a method of a Func is called:
// directly, not inlined.
//
//go:noinline
func nothing(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return kernel.Return{N: int64(len(bufs))}, nil
}

// BenchmarkDispatch measures what a plan adds to a call: impl=direct calls
// a path that does nothing on the call's slices, as a program calls the
// Call method of the one Func it has chosen; impl=planned calls the same
// path through a plan.
func BenchmarkDispatch(b *testing.B) {
	p := planOf("a")
	p.Paths["a"] = nothing
	inject(b, p, map[string][]float64{"a": {1, 1}}, nil)
	a, bufs := scaleInputs(1)
	x, out := bufs[0], bufs[1]
	b.Run("impl=direct", func(b *testing.B) {
		for b.Loop() {
			nothing(a, x, out)
		}
	})
	b.Run("impl=planned", func(b *testing.B) {
		for b.Loop() {
			p.Call(a, x, out)
		}
	})
}
