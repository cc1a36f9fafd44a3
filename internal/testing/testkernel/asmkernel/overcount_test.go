package asmkernel

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/kernel"
)

// TestOvercount calls the translated kernels of ../ckernel/overcount.c
// that break their contract under the test kernel's description: one
// reports an output more than out has, the other raises out's length in
// its frame first, so that the frame agrees with its count. The generic
// call and the typed one each refuse both with ErrBroken.
func TestOvercount(t *testing.T) {
	if ZcTestOverlenCode() == 0 {
		t.Skip("no translation on this architecture")
	}
	overcount, err1 := newOvercountTyped(zerocall.Auto)
	overlen, err2 := newOverlenTyped(zerocall.Auto)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		f     *asm.Func
		typed func(x, y, out []float32, a float64) (int, error)
	}{
		{"overcount", overcount.Func(), overcount.Call},
		{"overlen", overlen.Func(), overlen.Call},
	} {
		x, y, out := make([]float32, 4), make([]float32, 4), make([]float32, 4)
		if r, err := c.f.Call(&kernel.Args{}, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)); !errors.Is(err, zerocall.ErrBroken) {
			t.Errorf("%s: Call = %d, %v; want ErrBroken", c.name, r.N, err)
		}
		if n, err := c.typed(x, y, out, 1); !errors.Is(err, zerocall.ErrBroken) {
			t.Errorf("%s: the typed call = %d, %v; want ErrBroken", c.name, n, err)
		}
	}
}
