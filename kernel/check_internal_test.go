package kernel

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// huge is a length far past any buffer, whose square overflows an int:
// 2⁴⁰ on a 64-bit machine, 2²⁴ on a 32-bit one.
const huge = 1 << (bits.UintSize/2 + 8)

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
func (r *recorder) record() *recorder  { return r }
func (r *recorder) Close() error       { return nil }

// framed is a recorder whose frame holds the call's arguments, as the
// native and wasm hosts' do: the Handle writes them there.
type framed struct {
	recorder
	frame Args
}

func (f *framed) Frame() *Args { return &f.frame }

func (f *framed) Run(a *Args) (Return, error) {
	if a != &f.frame {
		panic("the Handle did not pass the host's frame")
	}
	return f.recorder.Run(a)
}

// TestCheckChangesLength checks that a Check that changes a length, which
// its contract forbids, fails the call with ErrKernel on both ways in, a
// one-shot call's CheckSlices and a handle's call in place, and that the
// host never sees the changed length: the handle stays usable.
func TestCheckChangesLength(t *testing.T) {
	k := &Kernel{Name: "grow", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}},
		Floats: []string{"grow"},
		Check: func(a *Args) error {
			if a.F[0] != 0 {
				a.Len[1] = huge
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

	for _, host := range []interface {
		host
		record() *recorder
	}{new(recorder), new(framed)} {
		r := host.record()
		h := newHandle(k, []int{8, 8}, []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}, host)
		if _, err := h.Call(&grow, bufs...); !errors.Is(err, ErrKernel) || r.runs != 0 {
			t.Fatalf("%T: handle call with a growing Check: %v after %d runs, want ErrKernel before any", host, err, r.runs)
		}
		if _, err := h.Call(&Args{}, SliceOf(x[:3]), SliceOf(out[:5])); err != nil || h.Err() != nil {
			t.Fatalf("%T: handle call after: %v (handle: %v)", host, err, h.Err())
		}
		if r.runs != 1 || r.lens[0] != 3 || r.lens[1] != 5 {
			t.Errorf("%T: host ran %d times, last on lengths %v, want once on [3 5]", host, r.runs, r.lens[:2])
		}
	}
}

// counter is a host whose batch runs write each item's count: its
// length of the counted buffer, as a well-behaved kernel would.
type counter struct {
	recorder
	b *Batch
}

func (c *counter) RunBatch(n int) error {
	for j := range n {
		it := c.b.item(j)
		it[c.b.words-2] = it[c.b.Handle.n+c.b.k.CountOf]
	}
	return nil
}

// TestResultRechecks checks that a batch's Result checks a count again:
// the descriptor lies in the foreign side's memory (a wasm module's),
// which a call after Run may have written, past the buffer's length.
func TestResultRechecks(t *testing.T) {
	k := &Kernel{Name: "count", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}}, Result: Count, CountOf: 1}
	x, out := make([]float32, 8), make([]float32, 8)
	views := []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}
	desc := make([]int64, batchHeader+2*(2*2+2))
	c := &counter{}
	b := newBatch(newHandle(k, []int{8, 8}, views, c), unsafe.Pointer(&desc[0]), 2, []uint64{0, 0})
	c.b = b
	if _, err := b.Add(&Args{}, SliceOf(x[:4]), SliceOf(out[:4])); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Run(); n != 1 || err != nil {
		t.Fatalf("Run() = %d, %v", n, err)
	}
	if r, err := b.Result(0); r.N != 4 || err != nil {
		t.Fatalf("Result(0) = %v, %v, want 4 outputs", r, err)
	}
	b.item(0)[b.words-2] = 1000 // written since, by the module
	if _, err := b.Result(0); !errors.Is(err, errs.Broken) || !errors.Is(b.Err(), errs.Broken) {
		t.Errorf("Result(0) of a count rewritten past its buffer: %v (batch: %v), want ErrBroken for both", err, b.Err())
	}
}

// TestHandleCallChecks checks the refusals of a handle's call that no
// copy goes through, so that CheckSlices is not there to make them: a
// view of a region from its start, but of another element type, fails
// with ErrType naming the buffer and both types, and one past the
// region's capacity with ErrCapacity naming the buffer and the
// capacity, before the host runs; a view of the whole region then runs.
func TestHandleCallChecks(t *testing.T) {
	k := &Kernel{Name: "views", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}}}
	x, out := make([]float32, 9), make([]float32, 8) // x's region holds 8 of them
	r := new(recorder)
	h := newHandle(k, []int{8, 8}, []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}, r)
	wide := SliceOf(unsafe.Slice((*float64)(unsafe.Pointer(&out[0])), 4)) // out's region, read as float64
	for _, c := range []struct {
		name string
		bufs []Slice
		is   error
		want string
	}{
		{"a view of another type", []Slice{SliceOf(x[:8]), wide}, errs.Type, "buffer out of kernel views holds float32, not float64"},
		{"a view past the capacity", []Slice{SliceOf(x), SliceOf(out)}, errs.Capacity, "a length of 9 for buffer x, whose region holds 8"},
	} {
		if _, err := h.Call(&Args{}, c.bufs...); !errors.Is(err, c.is) || err == nil || !strings.Contains(err.Error(), c.want) || r.runs != 0 {
			t.Errorf("%s: err = %v after %d runs, want %v saying %q before any", c.name, err, r.runs, c.is, c.want)
		}
	}
	if _, err := h.Call(&Args{}, SliceOf(x[:8]), SliceOf(out)); err != nil || r.runs != 1 || r.lens[0] != 8 || r.lens[1] != 8 {
		t.Errorf("a call on the whole regions: %v, %d runs on lengths %v, want one on [8 8]", err, r.runs, r.lens[:2])
	}
}

// TestCheckOncePerArgs checks that a handle's call in place runs the
// kernel's Check again only when the lengths or scalars differ from those
// of the last call it passed: by a length, a float's bits (-0 is not 0),
// an integer; that a call Check refuses is refused every time; and that
// the host runs every call with the call's own arguments, on both kinds
// of host.
func TestCheckOncePerArgs(t *testing.T) {
	checks := 0
	k := &Kernel{Name: "scale", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}},
		Floats: []string{"s"}, Ints: []string{"k"},
		Check: func(a *Args) error {
			checks++
			if a.I[0] < 0 {
				return errs.Argument
			}
			return nil
		}}
	x, out := make([]float32, 8), make([]float32, 8)
	views := []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}
	for _, host := range []interface {
		host
		record() *recorder
	}{new(recorder), new(framed)} {
		r := host.record()
		h := newHandle(k, []int{8, 8}, views, host)
		checks = 0
		for _, c := range []struct {
			name   string
			a      Args
			n      int
			checks int // Check's runs after the call
			err    error
		}{
			{"the first call", Args{F: [MaxScalars]float64{2}}, 8, 1, nil},
			{"the same call", Args{F: [MaxScalars]float64{2}}, 8, 1, nil},
			{"a shorter call", Args{F: [MaxScalars]float64{2}}, 5, 2, nil},
			{"the shorter call again", Args{F: [MaxScalars]float64{2}}, 5, 2, nil},
			{"another float", Args{F: [MaxScalars]float64{3}}, 5, 3, nil},
			{"zero", Args{}, 5, 4, nil},
			{"minus zero", Args{F: [MaxScalars]float64{math.Copysign(0, -1)}}, 5, 5, nil},
			{"another integer", Args{F: [MaxScalars]float64{math.Copysign(0, -1)}, I: [MaxScalars]int64{1}}, 5, 6, nil},
			{"a refused call", Args{I: [MaxScalars]int64{-1}}, 5, 7, errs.Argument},
			{"the refused call again", Args{I: [MaxScalars]int64{-1}}, 5, 8, errs.Argument},
			{"the call before it", Args{F: [MaxScalars]float64{math.Copysign(0, -1)}, I: [MaxScalars]int64{1}}, 5, 8, nil},
		} {
			runs := r.runs
			_, err := h.Call(&c.a, SliceOf(x[:c.n]), SliceOf(out[:c.n]))
			if !errors.Is(err, c.err) || checks != c.checks {
				t.Fatalf("%T, %s: %v with %d runs of Check, want %v with %d", host, c.name, err, checks, c.err, c.checks)
			}
			if c.err == nil && (r.runs != runs+1 || r.lens[0] != c.n || r.lens[1] != c.n) {
				t.Fatalf("%T, %s: the host ran %d calls, the last on lengths %v", host, c.name, r.runs-runs, r.lens[:2])
			}
		}
	}
}

// scribbler is a framed host whose kernel breaks its contract as a C
// kernel can: it writes its frame's lengths after the call, and returns
// count. It keeps the scalars of the last call.
type scribbler struct {
	framed
	count int64
	f     [MaxScalars]float64
}

func (s *scribbler) Run(a *Args) (Return, error) {
	s.framed.Run(a)
	s.f = a.F
	for i := range a.Len {
		a.Len[i] = huge
	}
	return Return{N: s.count}, nil
}

// TestCallAgain checks a handle's call in place that repeats the last one
// to pass every check, which are then not made again, for kernels of one
// to five buffers (the first three are compared written out, the others
// in a loop): the host still runs on the call's lengths when the kernel
// wrote others into its frame, and on its scalars (two of them here: each
// is passed, and a new one runs Check again); a view of another element
// type at the same address and length still fails with ErrType before the
// host runs, whichever buffer it is; and a count past the counted slice
// still breaks the handle.
func TestCallAgain(t *testing.T) {
	for nb := 1; nb <= 5; nb++ {
		checks := 0
		k := &Kernel{Name: "again", Floats: []string{"s", "t"}, Result: Count, CountOf: nb - 1,
			Check: func(*Args) error { checks++; return nil }}
		mem := make([][]float32, nb)
		views, caps, bufs := make([]unsafe.Pointer, nb), make([]int, nb), make([]Slice, nb)
		for i := range nb {
			k.Buffers = append(k.Buffers, Buffer{fmt.Sprint("b", i), Float32, In})
			mem[i] = make([]float32, 8)
			views[i], caps[i], bufs[i] = unsafe.Pointer(&mem[i][0]), 8, SliceOf(mem[i])
		}
		k.Buffers[nb-1].Role = Out
		s := &scribbler{count: 8}
		h := newHandle(k, caps, views, s)
		call := func(a Args, bufs ...Slice) error {
			_, err := h.Call(&a, bufs...)
			return err
		}
		for i, c := range []struct {
			f      [MaxScalars]float64
			checks int
		}{{[MaxScalars]float64{1, 2}, 1}, {[MaxScalars]float64{1, 2}, 1}, {[MaxScalars]float64{1, 3}, 2}, {[MaxScalars]float64{1, 3}, 2}} {
			runs := s.runs
			if err := call(Args{F: c.f}, bufs...); err != nil {
				t.Fatalf("%d buffers, call %d: %v", nb, i, err)
			}
			if s.runs != runs+1 || !slices.Equal(s.lens[:nb], slices.Repeat([]int{8}, nb)) ||
				s.f[0] != c.f[0] || s.f[1] != c.f[1] || checks != c.checks {
				t.Fatalf("%d buffers, call %d: %d runs, the last on lengths %v and floats %v, after %d checks; want one on lengths 8 and %v after %d",
					nb, i, s.runs-runs, s.lens[:nb], s.f[:2], checks, c.f[:2], c.checks)
			}
		}
		for i := range nb {
			typed := slices.Clone(bufs)
			typed[i] = SliceOf(unsafe.Slice((*int32)(views[i]), 8)) // region i, read as int32
			runs := s.runs
			if err := call(Args{F: [MaxScalars]float64{1, 3}}, typed...); !errors.Is(err, errs.Type) || s.runs != runs {
				t.Errorf("%d buffers: the same call with buffer %d of another type: %v after %d runs, want ErrType before any", nb, i, err, s.runs-runs)
			}
		}
		s.count = 9
		if err := call(Args{F: [MaxScalars]float64{1, 3}}, bufs...); !errors.Is(err, errs.Broken) || !errors.Is(h.Err(), errs.Broken) {
			t.Errorf("%d buffers: the same call counting 9 of 8: %v (handle: %v), want ErrBroken for both", nb, err, h.Err())
		}
	}
}

// TestCheckSlicesTooMany: CheckSlices on a description with more buffers
// than a kernel may have, which no constructor takes, says so, not that
// the count of slices differs.
func TestCheckSlicesTooMany(t *testing.T) {
	k := &Kernel{Name: "big"}
	bufs := make([]Slice, maxBuffers+1)
	for i := range bufs {
		k.Buffers = append(k.Buffers, Buffer{Name: fmt.Sprint("b", i), Type: Float64, Role: In})
		bufs[i] = SliceOf([]float64{1})
	}
	err := k.CheckSlices(new(Args), bufs)
	if !errors.Is(err, ErrKernel) || !strings.Contains(err.Error(), "kernel big has 9 buffers, more than the 8 a kernel may have") {
		t.Errorf("CheckSlices of 9 buffers: %v", err)
	}
}
