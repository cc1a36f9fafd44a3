package testkernel

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// Call is one call of a kernel on the caller's slices.
type Call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)

// Callers are a host's ways of calling the test kernel's code under a
// description of it (Saxpy or Unchecked), for RunMessages; a host sets
// those it has.
type Callers struct {
	// Straight returns k's call on the caller's slices that keeps nothing
	// between calls (native's Func.Call, asm's Func.Call).
	Straight func(k *kernel.Kernel) (Call, error)
	// Owned makes a handle of k with c elements in each region.
	Owned func(k *kernel.Kernel, c int) (*kernel.Handle, error)
}

// StraightOf returns a Callers.Straight that makes each kernel's code with
// newFunc (native.NewFunc or asm.NewFunc of the test kernel's code) and
// calls it on the caller's slices.
func StraightOf[F interface {
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}](newFunc func(k *kernel.Kernel) (F, error)) func(k *kernel.Kernel) (Call, error) {
	return func(k *kernel.Kernel) (Call, error) {
		f, err := newFunc(k)
		if err != nil {
			return nil, err
		}
		return f.Call, nil
	}
}

// OwnedOf returns a Callers.Owned that makes each kernel's code with
// newFunc and its handles in memory of kind mem.
func OwnedOf[F Func](newFunc func(k *kernel.Kernel) (F, error), mem zerocall.Memory) func(k *kernel.Kernel, c int) (*kernel.Handle, error) {
	return func(k *kernel.Kernel, c int) (*kernel.Handle, error) {
		f, err := newFunc(k)
		if err != nil {
			return nil, err
		}
		return f.Handle(mem, c, c, c)
	}
}

// RunMessages makes calls that fail on each path a host has, and checks
// that each error wraps its sentinel and says what is wrong: the kernel,
// the buffer, the types given and declared, the numbers.
func RunMessages(t *testing.T, c Callers) {
	t.Helper()
	slices := func(t *testing.T, name string, callOf func(t *testing.T, k *kernel.Kernel) Call) {
		t.Run(name, func(t *testing.T) {
			call := func(k *kernel.Kernel) Call { return callOf(t, k) }
			x, y, out := make([]float32, 8), make([]float32, 8), make([]float32, 8)
			a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
			_, err := call(Saxpy)(&a, kernel.SliceOf(x), kernel.SliceOf(make([]float64, 8)), kernel.SliceOf(out))
			checkMessage(t, "a float64 slice for y", err, zerocall.ErrType, "buffer y of kernel test-saxpy holds float32, not float64")
			buf := make([]float32, 16)
			_, err = call(Saxpy)(&a, kernel.SliceOf(buf[:8]), kernel.SliceOf(y), kernel.SliceOf(buf[4:12]))
			checkMessage(t, "out overlapping x", err, zerocall.ErrOverlap, "kernel test-saxpy writes buffer out, whose slice overlaps that of buffer x")
			_, err = call(Saxpy)(&a, kernel.SliceOf(x), kernel.SliceOf(y[:7]), kernel.SliceOf(out))
			checkMessage(t, "lengths the Check refuses", err, zerocall.ErrLength, "(the Check of kernel test-saxpy, on lengths x 8, y 7, out 8)")
			_, err = call(Unchecked)(&a, kernel.SliceOf(x), kernel.SliceOf(y[:7]), kernel.SliceOf(out))
			checkMessage(t, "lengths the C code refuses", err, zerocall.ErrArgument, "kernel test-saxpy-unchecked returned -1")
			if r, err := call(Saxpy)(&a, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)); err != nil || r.N != 8 {
				t.Errorf("a good call after the bad ones: %v, %v", r, err)
			}
		})
	}
	if c.Straight != nil {
		slices(t, "straight", func(t *testing.T, k *kernel.Kernel) Call {
			f, err := c.Straight(k)
			if err != nil {
				t.Fatal(err)
			}
			return f
		})
	}
	if c.Owned == nil {
		return
	}
	handle := func(t *testing.T, k *kernel.Kernel) *kernel.Handle {
		h, err := c.Owned(k, 16)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	slices(t, "copy", func(t *testing.T, k *kernel.Kernel) Call { return handle(t, k).Call })
	t.Run("handle", func(t *testing.T) {
		h := handle(t, Saxpy)
		a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
		view := func(i, n int) kernel.Slice { r := h.Region(i); return funcs.SliceAt(r.Pointer(), n, r.Type()) }
		_, err := h.Call(&a)
		checkMessage(t, "Call with no slices", err, kernel.ErrKernel, "kernel test-saxpy takes 3 buffers, one slice each, not 0")
		_, err = h.Call(&a, view(0, 17), view(1, 17), view(2, 17))
		checkMessage(t, "Call in place past the regions", err, zerocall.ErrCapacity, "kernel test-saxpy: a length of 17 for buffer x, whose region holds 16")
		long := kernel.SliceOf(make([]float32, 17))
		_, err = h.Call(&a, long, long, kernel.SliceOf(make([]float32, 17)))
		checkMessage(t, "Call copying past the regions", err, zerocall.ErrCapacity, "kernel test-saxpy: a length of 17 for buffer x, whose region holds 16")
		_, err = h.Call(&a, view(0, 8), view(1, 7), view(2, 8))
		checkMessage(t, "Call in place on lengths the Check refuses", err, zerocall.ErrLength, "(the Check of kernel test-saxpy, on lengths x 8, y 7, out 8)")
		own := kernel.SliceOf(f32(h.Region(0))[1:5])
		_, err = h.Call(&a, own, kernel.SliceOf(make([]float32, 4)), kernel.SliceOf(make([]float32, 4)))
		checkMessage(t, "Call on a slice inside the handle's own region", err, zerocall.ErrOverlap,
			"the slice for buffer x overlaps the handle's region x; to call in place, pass a view of region x from its start")
		if r, err := h.Call(&a, view(0, 8), view(1, 8), view(2, 8)); err != nil || r.N != 8 {
			t.Errorf("a good call after the bad ones: %v, %v", r, err)
		}
	})
}

// checkMessage fails unless err wraps is and says want.
func checkMessage(t *testing.T, what string, err, is error, want string) {
	t.Helper()
	if !errors.Is(err, is) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: err = %v, want %v saying %q", what, err, is, want)
	}
}
