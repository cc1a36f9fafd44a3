package kernel

import (
	"errors"
	"testing"
	"unsafe"
)

// recorder is a host that records the lengths of the calls it runs.
type recorder struct {
	runs int
	lens [maxBuffers]int
}

func (r *recorder) Run(a *Args) (Return, error) {
	r.runs++
	r.lens = a.Len
	return Return{}, nil
}

func (r *recorder) RunBatch(int) error { return nil }
func (r *recorder) Close() error       { return nil }

// TestCheckChangesLength checks that a Check that changes a length, which
// its contract forbids, fails the call with ErrKernel on both ways in, a
// one-shot call's CheckSlices and a handle's call in place, and that the
// host never sees the changed length: the handle stays usable.
func TestCheckChangesLength(t *testing.T) {
	k := &Kernel{Name: "grow", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}},
		Floats: []string{"grow"},
		Check: func(a *Args) error {
			if a.F[0] != 0 {
				a.Len[1] = 1 << 40
			}
			return nil
		}}
	x, out := make([]float32, 8), make([]float32, 8)
	bufs := []Slice{SliceOf(x), SliceOf(out)}
	grow := Args{F: [MaxScalars]float64{1}}

	var c Args
	if err := k.CheckSlices(&c, bufs); err != nil {
		t.Fatalf("CheckSlices: %v", err)
	}
	c = grow
	if err := k.CheckSlices(&c, bufs); !errors.Is(err, ErrKernel) {
		t.Fatalf("CheckSlices with a growing Check: %v, want ErrKernel", err)
	}

	r := new(recorder)
	h := newHandle(k, []int{8, 8}, []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}, r)
	if _, err := h.Call(&grow, bufs...); !errors.Is(err, ErrKernel) || r.runs != 0 {
		t.Fatalf("handle call with a growing Check: %v after %d runs, want ErrKernel before any", err, r.runs)
	}
	if _, err := h.Call(&Args{}, SliceOf(x[:3]), SliceOf(out[:5])); err != nil || h.Err() != nil {
		t.Fatalf("handle call after: %v (handle: %v)", err, h.Err())
	}
	if r.runs != 1 || r.lens[0] != 3 || r.lens[1] != 5 {
		t.Errorf("host ran %d times, last on lengths %v, want once on [3 5]", r.runs, r.lens[:2])
	}
}

// TestCheckSlicesAllocs checks that a one-shot call's Args stays where
// its caller put it although the kernel's Check takes a pointer to it.
func TestCheckSlicesAllocs(t *testing.T) {
	k := &Kernel{Name: "same", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}},
		Check: func(a *Args) error {
			if a.Len[0] != a.Len[1] {
				return errors.New("lengths differ")
			}
			return nil
		}}
	x, out := make([]float32, 8), make([]float32, 8)
	bufs := []Slice{SliceOf(x), SliceOf(out)}
	call := func() {
		var a Args
		if err := k.CheckSlices(&a, bufs); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(100, call); n != 0 {
		t.Errorf("CheckSlices allocates %v times per call, want 0", n)
	}
}
