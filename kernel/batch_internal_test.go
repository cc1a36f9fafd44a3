package kernel

import (
	"errors"
	"math"
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
