package verify

import (
	"math"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/kernel"
)

// shift is a kernel of every role and of integers past 2⁵³, where
// float64 no longer tells neighbours apart: y = x + 2⁶⁰ (In, Out), and
// the count of outputs written to out.
var shift = &kernel.Kernel{Name: "shift", Buffers: []kernel.Buffer{
	{Name: "x", Type: kernel.Int64, Role: kernel.In},
	{Name: "y", Type: kernel.Int64, Role: kernel.Out},
	{Name: "out", Type: kernel.Float32, Role: kernel.Out},
}, Result: kernel.Count, CountOf: 2}

// TestRules checks each rule on one call whose outcome is right but for
// one thing: an integer off by one past 2⁵³, an input the kernel wrote,
// an element written past the count, -0 for +0.
func TestRules(t *testing.T) {
	in := func() []kernel.Slice {
		return []kernel.Slice{kernel.SliceOf([]int64{1, 2}), kernel.SliceOf([]int64{0, 0}), kernel.SliceOf([]float32{7, 7, 7})}
	}
	want := []kernel.Slice{kernel.SliceOf([]int64{1, 2}), kernel.SliceOf([]int64{1<<60 + 1, 1<<60 + 2}), kernel.SliceOf([]float32{0, 7, 7})}
	wret := kernel.Return{N: 1}
	for _, c := range []struct {
		name   string
		change func(got []kernel.Slice, ret *kernel.Return)
		err    string // "" for none
	}{
		{"right", func([]kernel.Slice, *kernel.Return) {}, ""},
		{"an integer off by one", func(got []kernel.Slice, _ *kernel.Return) { kernel.Elems[int64](got[1])[1]++ }, "y[1] = 1152921504606846979, want 1152921504606846978"},
		{"an input written", func(got []kernel.Slice, _ *kernel.Return) { kernel.Elems[int64](got[0])[1] = 5 }, "x[1] = 5, which the kernel only reads, was 2"},
		{"past the count", func(got []kernel.Slice, _ *kernel.Return) { kernel.Elems[float32](got[2])[2] = 1 }, "out[2] = 1, past the 1 elements the kernel reported, was 7"},
		{"-0 for +0", func(got []kernel.Slice, _ *kernel.Return) {
			kernel.Elems[float32](got[2])[0] = float32(math.Copysign(0, -1))
		}, "out[0] = -0, want 0"},
		{"another count", func(_ []kernel.Slice, ret *kernel.Return) { ret.N = 2 }, "returned 2, want 1"},
	} {
		got := in()
		kernel.Elems[int64](got[1])[0], kernel.Elems[int64](got[1])[1] = 1<<60+1, 1<<60+2
		kernel.Elems[float32](got[2])[0] = 0
		ret := wret
		c.change(got, &ret)
		err := Untouched(shift, in(), got, ret)
		if err == nil {
			err = Outputs(shift, 0, got, ret, want, wret)
		}
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.err)
		}
	}
}

// TestAgree checks the float rule.
func TestAgree(t *testing.T) {
	for _, c := range []struct {
		tol, got, want float64
		ok             bool
	}{
		{0, 1, 1, true}, {0, 1, math.Nextafter(1, 2), false}, {0, math.Copysign(0, -1), 0, false},
		{1e-6, 1 + 1e-7, 1, true}, {1e-6, 1 + 1e-5, 1, false},
		// At the bound and past it, exactly: 1/8 of 8 is 1, so 9 agrees
		// with 8 and 9.5 does not, for either sign; the tolerance is
		// relative to want, not to got.
		{0.125, 9, 8, true}, {0.125, 9.5, 8, false}, {0.125, 7, 8, true}, {0.125, 6.5, 8, false},
		{0.125, -9, -8, true}, {0.125, -9.5, -8, false}, {0.125, 8, 7, false},
		{1e-6, math.NaN(), math.NaN(), true}, {1e-6, 1, math.NaN(), false}, {1e-6, math.NaN(), 1, false},
		{1e-6, math.Inf(1), math.Inf(1), true}, {1e-6, math.MaxFloat64, math.Inf(1), false},
	} {
		if got := Agree(c.tol, c.got, c.want); got != c.ok {
			t.Errorf("Agree(%v, %v, %v) = %v", c.tol, c.got, c.want, got)
		}
	}
}
