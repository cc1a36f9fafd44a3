package plan

import (
	"testing"

	"github.com/zerocall/zerocall/kernel"
)

// BenchmarkDispatch measures what a plan adds to a call: impl=direct calls
// a path that does nothing, impl=planned the same path through a plan.
func BenchmarkDispatch(b *testing.B) {
	nothing := func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) { return kernel.Return{N: 1}, nil }
	p := planOf("a")
	p.Paths["a"] = nothing
	inject(b, p, map[string][]float64{"a": {1, 1}}, nil)
	a, bufs := scaleInputs(1)
	x, out := bufs[0], bufs[1]
	direct := p.Paths["a"] // a call through a function value, as the plan's
	b.Run("impl=direct", func(b *testing.B) {
		for b.Loop() {
			direct(a, bufs...) // on a slice made once: a new one would escape
		}
	})
	b.Run("impl=planned", func(b *testing.B) {
		for b.Loop() {
			p.Call(a, x, out)
		}
	})
}
