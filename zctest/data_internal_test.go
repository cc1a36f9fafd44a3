package zctest

import (
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// kernelOnly is a Func that is only its kernel, for Specs the tests
// below call Spec's methods on.
type kernelOnly struct{ k *kernel.Kernel }

func (f kernelOnly) Kernel() *kernel.Kernel { return f.k }

// readOnly returns a kernel of nb buffers of type t, all read.
func readOnly(nb int, t kernel.Type) *kernel.Kernel {
	k := &kernel.Kernel{Name: "read"}
	for i := range nb {
		k.Buffers = append(k.Buffers, kernel.Buffer{Name: string(rune('a' + i)), Type: t, Role: kernel.In})
	}
	return k
}

// TestSpecialInputs checks the special inputs of Run's sizes: every
// buffer holds NaN, ±Inf and the subnormals, and each buffer's NaN meets
// an ordinary number in another buffer (in every other buffer, for a
// size that has room for all of them), so that a kernel that drops a NaN
// beside a number fails.
func TestSpecialInputs(t *testing.T) {
	ordinary := func(v float64) bool { return v != 0 && math.Abs(v) >= 1e-30 && !math.IsInf(v, 0) && !math.IsNaN(v) }
	for _, typ := range []kernel.Type{kernel.Float32, kernel.Float64} {
		for nb := 1; nb <= maxBuffers; nb++ {
			s := Spec{Func: kernelOnly{readOnly(nb, typ)}}
			for _, n := range []int{17, 37} {
				in := s.inputs(n, 0, 99, true)
				vals := make([][]float64, nb)
				for b := range in {
					for i := range n {
						vals[b] = append(vals[b], elem(in[b], i))
					}
					for v, want := range specialValues {
						if typ == kernel.Float32 {
							want = float64(float32(want))
						}
						found := false
						for _, got := range vals[b] {
							found = found || math.Float64bits(got) == math.Float64bits(want) || math.IsNaN(got) && math.IsNaN(want)
						}
						if !found {
							t.Errorf("%v, %d buffers, n=%d: buffer %d has no special value %d (%v)", typ, nb, n, b, v, want)
						}
					}
				}
				for b := range nb {
					some, all := false, false
					for i := range n {
						if !math.IsNaN(vals[b][i]) {
							continue
						}
						ok, oks := false, true
						for o := range nb {
							if o != b {
								ok = ok || ordinary(vals[o][i])
								oks = oks && ordinary(vals[o][i])
							}
						}
						some, all = some || ok, all || oks
					}
					if nb > 1 && !some {
						t.Errorf("%v, %d buffers, n=%d: buffer %d has NaN only where no other buffer has an ordinary number", typ, nb, n, b)
					}
					if nb > 1 && n >= 2*maxBuffers+len(specialValues)-2 && !all {
						t.Errorf("%v, %d buffers, n=%d: buffer %d has NaN only where another buffer has a special value", typ, nb, n, b)
					}
				}
			}
		}
	}
}

// elem returns element i of a float slice.
func elem(s kernel.Slice, i int) float64 {
	if s.Type() == kernel.Float32 {
		return float64(kernel.Elems[float32](s)[i])
	}
	return kernel.Elems[float64](s)[i]
}

// TestSpecialPlaces checks the places of the special values in buffers
// of every size up to 100: in the buffer, and distinct in each buffer
// whenever it has room for them all.
func TestSpecialPlaces(t *testing.T) {
	for n := range 101 {
		for b := range maxBuffers {
			places := specialPlaces(n, b)
			if n == 0 {
				if len(places) != 0 {
					t.Errorf("n=0: places %v", places)
				}
				continue
			}
			for v, j := range places {
				if j < 0 || j >= n {
					t.Errorf("n=%d, buffer %d: value %d at %d", n, b, v, j)
				}
				if n >= len(specialValues) && isIn(places[:v], j) {
					t.Errorf("n=%d, buffer %d: places %v are not distinct", n, b, places)
				}
			}
		}
	}
}

// strayCaller runs add (out = x + y on float32), then writes one byte
// at offset at from the start of out.
type strayCaller struct{ at int }

func (c strayCaller) Call(_ *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	x, y, out := kernel.Elems[float32](bufs[0]), kernel.Elems[float32](bufs[1]), kernel.Elems[float32](bufs[2])
	for i := range x {
		out[i] = x[i] + y[i]
	}
	if len(out) > 0 {
		*(*byte)(unsafe.Add(unsafe.Pointer(&out[0]), c.at)) = 0
	}
	return kernel.Return{}, nil
}
func (strayCaller) Close() error { return nil }

// TestCheckGuards checks that a call that writes a byte just past the
// end of a slice, or just before its start, fails, naming the buffer,
// and that one that writes inside passes.
func TestCheckGuards(t *testing.T) {
	k := &kernel.Kernel{Name: "add", Buffers: []kernel.Buffer{
		{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "y", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	}}
	s := Spec{Func: kernelOnly{k}, Ref: func(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
		x, y, out := kernel.Elems[float32](bufs[0]), kernel.Elems[float32](bufs[1]), kernel.Elems[float32](bufs[2])
		for i := range x {
			out[i] = x[i] + y[i]
		}
		return kernel.Return{}
	}}
	for _, n := range []int{1, 7, 33} {
		for off := range 2 {
			in := s.inputs(n, off, 1, false)
			if err := s.check(strayCaller{4 * (n - 1)}, n, in); err == nil || !strings.Contains(err.Error(), "out[") {
				t.Errorf("n=%d off=%d: a write of out[%d]: err = %v, want a wrong value", n, off, n-1, err)
			}
			for _, c := range []struct {
				at   int
				want string
			}{
				{4 * n, "the call wrote past the end of buffer out: byte 0 after its last element"},
				{4*n + guardBytes - 1, "the call wrote past the end of buffer out: byte 63 after its last element"},
				{-1, "the call wrote before the start of buffer out: byte 1 before its first element"},
				{-guardBytes, "the call wrote before the start of buffer out: byte 64 before its first element"},
			} {
				if err := s.check(strayCaller{c.at}, n, s.inputs(n, off, 1, false)); err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("n=%d off=%d: a write of byte %d of out: err = %v, want %q", n, off, c.at, err, c.want)
				}
			}
		}
	}
	// What a kernel is given is where alloc said: aligned as asked,
	// guards around it.
	for _, align := range []int{0, 4, 8, 63} {
		p := alloc(10, align)
		if got := int(uintptr(p) % 64); got != align {
			t.Errorf("alloc(10, %d) is %d past a 64-byte boundary", align, got)
		}
		b := funcs.Bytes(funcs.SliceAt(p, 10, kernel.Uint8))
		for i := range b {
			b[i] = guardByte + 1
		}
		if err := s.guarded([]kernel.Slice{funcs.SliceAt(p, 10, kernel.Uint8)}); err != nil {
			t.Errorf("alloc(10, %d): untouched guards: %v", align, err)
		}
	}
}
