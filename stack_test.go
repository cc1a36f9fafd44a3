//go:build cgo

package zerocall_test

import (
	"os"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/plan"
)

// TestStackMoves calls C through each way that gives it the caller's
// buffers by address, as integers: a native Func's Call, the typed call
// zerocall bind writes, and a plan whose path is that Call. Each must
// move buffers its caller declared on the stack to the heap, since a
// stack that moves between the frame's writing and the C call (it grows
// at a call, or shrinks at a collection) would leave C reading and
// writing the old stack. Each is called at many depths of a fresh
// goroutine's stack, and the output checked; make test also runs it
// built with -d=maymorestack=runtime.mayMoreStackMove, which moves the
// stack at every call, where a buffer left on the stack fails every
// time. Where allocations are exact, a call on buffers of the stack
// must allocate them.
func TestStackMoves(t *testing.T) {
	typed, err := ckernel.NewClampTyped(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	f := typed.Func()
	a := testkernel.ClampArgs
	p := &plan.Plan{
		Kernel: testkernel.Clamp,
		Paths:  map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){"cgo": f.Call},
		Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
			a := testkernel.ClampArgs
			return &a, []kernel.Slice{kernel.SliceOf(make([]float32, n)), kernel.SliceOf(make([]float32, n))}
		},
		MaxSize: 64, Budget: 5 * time.Millisecond, File: os.DevNull,
	}
	if c, err := p.Choice(16); err != nil || c != "cgo" {
		t.Fatalf("the plan chose %q for 16 elements (%v), want its one path, cgo", c, err)
	}
	// Each call on buffers of its own stack, the last output, or -1.
	for name, call := range map[string]func() float32{
		"native.Func.Call": func() float32 {
			var x, out [16]float32
			_, err := f.Call(&a, kernel.SliceOf(halves(x[:])), kernel.SliceOf(out[:]))
			return last(out[:], err)
		},
		"typed": func() float32 {
			var x, out [16]float32
			_, err := typed.Call(halves(x[:]), out[:], a.F[0], a.F[1], a.F[2])
			return last(out[:], err)
		},
		"plan": func() float32 {
			var x, out [16]float32
			_, err := p.Call(&a, kernel.SliceOf(halves(x[:])), kernel.SliceOf(out[:]))
			return last(out[:], err)
		},
	} {
		t.Run(name, func(t *testing.T) {
			bad := 0
			for depth := range 600 {
				done := make(chan float32)
				go func() { done <- atDepth(call, depth) }()
				if got := <-done; got != 1.5 {
					if bad++; bad <= 3 {
						t.Errorf("at a depth of %d calls: out[15] = %v, want 1.5", depth, got)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of 600 depths lost the kernel's output", bad)
			}
			if kerneltest.InexactAllocs {
				return
			}
			if allocs := testing.AllocsPerRun(10, func() { call() }); allocs < 2 {
				t.Errorf("%v allocations a call on two buffers of the caller's stack, want 2: they stayed on the stack", allocs)
			}
		})
	}
}

// atDepth returns call's result made depth calls deep.
//
//go:noinline
func atDepth(call func() float32, depth int) float32 {
	if depth > 0 {
		return atDepth(call, depth-1)
	}
	return call()
}

// halves sets each element of x to 0.5, which the clamp-and-scale
// kernel of testkernel.ClampArgs makes 1.5, and returns x.
func halves(x []float32) []float32 {
	for i := range x {
		x[i] = 0.5
	}
	return x
}

// last returns the last element of out, or -1 if err is not nil.
func last(out []float32, err error) float32 {
	if err != nil {
		return -1
	}
	return out[len(out)-1]
}
