package kernel

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// closing is a host whose Close is counted, for the tests of what a
// batch does once a callback closes it.
type closing struct {
	recorder
	closed int
}

func (c *closing) Close() error { c.closed++; return nil }

// testBatch returns a batch of items calls of a kernel that reads x and
// writes out, over regions of 8 float32s each.
func testBatch(h host, items int) (*Batch, []float32, []float32) {
	k := &Kernel{Name: "copy", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}}}
	x, out := make([]float32, 8), make([]float32, 8)
	views := []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}
	desc := make([]int64, batchHeader+items*(2*2+2))
	return newBatch(newHandle(k, []int{8, 8}, views, h), unsafe.Pointer(&desc[0]), items, []uint64{0, 0}), x, out
}

// TestStreamClosedByGot checks that Stream calls put no more once got has
// closed the batch, even when got closed it on a call that Add refused:
// put writes into the regions, which Close has released.
func TestStreamClosedByGot(t *testing.T) {
	b, x, out := testBatch(new(closing), 4)
	var puts []int
	err := b.Stream(3, func(i int, a *Args, bufs []Slice) error {
		if !b.open {
			t.Errorf("put(%d) called on a closed batch", i)
		}
		puts = append(puts, i)
		bufs[0], bufs[1] = SliceOf(x[:2]), SliceOf(out[:2])
		if i == 0 {
			bufs[1] = SliceOf(make([]int32, 2)) // refused: the wrong type
		}
		return nil
	}, func(i int, ret Return, err error) error {
		if i == 0 {
			if !errors.Is(err, errs.Type) {
				t.Errorf("got(0): %v, want ErrType", err)
			}
			return b.Close()
		}
		return nil
	})
	if !errors.Is(err, errs.Closed) || len(puts) != 1 {
		t.Errorf("Stream closed by got: %v after puts %v, want ErrClosed after put(0) alone", err, puts)
	}
}

// TestAddSeriesOverflow checks that a series whose last offset overflows
// an int in the addition to the first offset, not in the product of the
// step, fails as any series past its region does, with ErrCapacity.
func TestAddSeriesOverflow(t *testing.T) {
	b, x, out := testBatch(new(recorder), 4)
	_, err := b.AddSeries(2, nil, []int{math.MaxInt, 0}, SliceOf(x[1:2]), SliceOf(out[:1]))
	if !errors.Is(err, errs.Capacity) || b.Len() != 0 {
		t.Errorf("AddSeries at a step of MaxInt from 1: %v with %d queued, want ErrCapacity and none", err, b.Len())
	}
}

// TestAddSeriesEmpty checks a series of no calls: its slices are checked
// as a call's, nothing is queued, and it returns Len(). A series longer
// than the room left says how much room there is, not that the batch is
// full.
func TestAddSeriesEmpty(t *testing.T) {
	b, x, out := testBatch(new(recorder), 4)
	if j, err := b.AddSeries(0, nil, nil, SliceOf(x[:2]), SliceOf(out[:2])); j != 0 || err != nil || b.Len() != 0 {
		t.Errorf("AddSeries(0) of good slices = %d, %v with %d queued, want 0, nil and none", j, err, b.Len())
	}
	for name, bufs := range map[string][]Slice{
		"the wrong type":   {SliceOf(x[:2]), SliceOf(make([]int32, 2))},
		"outside a region": {SliceOf(make([]float32, 2)), SliceOf(out[:2])},
	} {
		if j, err := b.AddSeries(0, nil, nil, bufs...); err == nil || b.Len() != 0 {
			t.Errorf("AddSeries(0) of slices of %s = %d, %v with %d queued, want an error and none", name, j, err, b.Len())
		}
	}
	if _, err := b.AddSeries(5, nil, nil, SliceOf(x[:1]), SliceOf(out[:1])); !errors.Is(err, errs.Capacity) || !strings.Contains(err.Error(), "a series of 5 calls, and the batch has room for 4") {
		t.Errorf("a series of 5 in a batch of 4: %v", err)
	}
	for range 4 {
		if _, err := b.Add(nil, SliceOf(x[:1]), SliceOf(out[:1])); err != nil {
			t.Fatal(err)
		}
	}
	if j, err := b.AddSeries(0, nil, nil, SliceOf(x[:1]), SliceOf(out[:1])); j != 4 || err != nil {
		t.Errorf("AddSeries(0) on a full batch = %d, %v, want 4 (Len), nil", j, err)
	}
}

// TestAddAtRegionEnd checks where a batch call's slice lies against its
// region, over regions that follow each other in memory: a slice that
// starts at the end of region x (in region out) is not inside x, one that
// starts inside x and runs past its end is past its capacity. And Stream
// refuses nil callbacks and a negative count.
func TestAddAtRegionEnd(t *testing.T) {
	k := &Kernel{Name: "copy", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}}}
	mem := make([]float32, 16)
	x, out := mem[:8:8], mem[8:]
	views := []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}
	desc := make([]int64, batchHeader+4*(2*2+2))
	b := newBatch(newHandle(k, []int{8, 8}, views, new(recorder)), unsafe.Pointer(&desc[0]), 4, []uint64{0, 0})
	for _, c := range []struct {
		name string
		x    []float32
		is   error
	}{
		{"at the end of region x", mem[8:10], errs.Argument},
		{"from inside region x past its end", mem[6:10], errs.Capacity},
		{"the end of region x", mem[6:8], nil},
	} {
		_, err := b.Add(nil, SliceOf(c.x), SliceOf(out[:2]))
		if !errors.Is(err, c.is) || err == nil && c.is != nil {
			t.Errorf("x %s: %v, want %v", c.name, err, c.is)
		}
	}
	if err := b.Stream(1, nil, nil); !errors.Is(err, errs.Argument) {
		t.Errorf("Stream with nil callbacks: %v, want ErrArgument", err)
	}
	put := func(int, *Args, []Slice) error { return nil }
	got := func(int, Return, error) error { return nil }
	if err := b.Stream(-1, put, got); !errors.Is(err, errs.Argument) {
		t.Errorf("Stream of -1 calls: %v, want ErrArgument", err)
	}
}

// TestStreamPanic checks that a panic in put, after calls of the stream
// were queued, leaves none of them queued: the next Stream runs, and no
// Run runs the stopped stream's calls.
func TestStreamPanic(t *testing.T) {
	b, x, out := testBatch(new(recorder), 4)
	put := func(i int, a *Args, bufs []Slice) error {
		if i == 2 {
			panic("put")
		}
		bufs[0], bufs[1] = SliceOf(x[:2]), SliceOf(out[:2])
		return nil
	}
	func() {
		defer func() {
			if r := recover(); r != "put" {
				t.Errorf("recovered %v, want put's panic", r)
			}
		}()
		_ = b.Stream(3, put, func(int, Return, error) error { return nil })
	}()
	if b.Len() != 0 {
		t.Errorf("%d calls left queued by the stream put stopped", b.Len())
	}
	ran := 0
	err := b.Stream(2, put, func(_ int, _ Return, err error) error { ran++; return err })
	if err != nil || ran != 2 {
		t.Errorf("the next Stream: %v, %d calls run, want 2", err, ran)
	}
}

// TestCheckCloses checks calls whose kernel's Check closes the handle or
// batch they run on: the call fails with ErrClosed, and the host runs
// nothing, nor does Add write into the descriptor, which Close may have
// freed (C-owned memory).
func TestCheckCloses(t *testing.T) {
	var h *Handle
	k := &Kernel{Name: "copy", Buffers: []Buffer{{"x", Float32, In}, {"out", Float32, Out}},
		Check: func(*Args) error { return h.Close() }}
	x, out := make([]float32, 8), make([]float32, 8)
	views := []unsafe.Pointer{unsafe.Pointer(&x[0]), unsafe.Pointer(&out[0])}
	for _, inPlace := range []bool{true, false} {
		r := new(recorder)
		h = newHandle(k, []int{8, 8}, views, r)
		bufs := []Slice{SliceOf(x[:4]), SliceOf(out[:4])}
		if !inPlace {
			bufs = []Slice{SliceOf(make([]float32, 4)), SliceOf(make([]float32, 4))}
		}
		if _, err := h.Call(nil, bufs...); !errors.Is(err, errs.Closed) || r.runs != 0 {
			t.Errorf("in place %v: %v with %d runs, want ErrClosed and none", inPlace, err, r.runs)
		}
	}
	for _, series := range []bool{false, true} {
		desc := make([]int64, batchHeader+4*(2*2+2))
		h = newHandle(k, []int{8, 8}, views, new(recorder))
		b := newBatch(h, unsafe.Pointer(&desc[0]), 4, []uint64{0, 0})
		before := slices.Clone(desc)
		var err error
		if series {
			_, err = b.AddSeries(2, nil, nil, SliceOf(x[:1]), SliceOf(out[:1]))
		} else {
			_, err = b.Add(nil, SliceOf(x[:1]), SliceOf(out[:1]))
		}
		if !errors.Is(err, errs.Closed) || b.queued != 0 {
			t.Errorf("series %v: %v with %d queued, want ErrClosed and none", series, err, b.queued)
		}
		if series && !slices.Equal(desc, before) {
			t.Errorf("AddSeries wrote into the descriptor of a batch its Check closed")
		}
	}
}
