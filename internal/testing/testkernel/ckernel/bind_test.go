//go:build cgo

package ckernel_test

import (
	"testing"

	"github.com/zerocall/zerocall"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
)

// TestTyped checks the typed calls through cgo that zerocall bind wrote
// (saxpy_bind.go, clamp_bind.go) against the Funcs they run, in every
// variant this machine runs.
func TestTyped(t *testing.T) {
	testkernel.TestBindings(t, native.Variants(),
		testkernel.SaxpyBind[*native.Func](ckernel.NewSaxpyTyped), testkernel.ClampBind[*native.Func](ckernel.NewClampTyped))
}

// TestTypedHeap checks that the buffers of a typed call through cgo live
// on the heap: the frame holds their addresses as integers, which a move
// of the goroutine's stack would not update, so Call must move buffers
// the caller declared on its stack to the heap, as cgo's own pointer
// arguments are. Each of the three arrays is then one allocation.
func TestTypedHeap(t *testing.T) {
	s, err := ckernel.NewSaxpyTyped(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		var x, y, out [4]float32
		x[0], y[0] = 1, 2
		if n, err := s.Call(x[:], y[:], out[:], 3); n != 4 || err != nil || out[0] != 5 {
			t.Errorf("Call = %d, %v, out %v; want 4, nil, [5 0 0 0]", n, err, out)
		}
	})
	if allocs != 3 {
		t.Errorf("%v allocations per call on stack arrays, want 3 (each moved to the heap)", allocs)
	}
}

// TestTypedZero checks a typed call no constructor made: through cgo, a
// zero value once called C at address 0, and the process died.
func TestTypedZero(t *testing.T) {
	var zero ckernel.SaxpyTyped
	var clamp ckernel.ClampTyped
	var none *ckernel.SaxpyTyped
	testkernel.TestZeroCalls(t, map[string]testkernel.SaxpyCall{
		"SaxpyTyped":  zero.Call,
		"*SaxpyTyped": none.Call,
		"ClampTyped":  func(x, _, out []float32, a float64) (int, error) { return clamp.Call(x, out, -1, 1, a) },
	})
}
