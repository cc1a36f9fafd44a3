//go:build cgo

package native_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	f, err := native.NewFunc(testkernel.Unchecked, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	testkernel.RunBatchErrors(t, f, zerocall.COwned)
}

// TestStreamStops stops a Stream each way it can stop early: got closing
// the handle between crossings (put runs no more), got failing on a call
// Add refused, got failing on a result (the batch is usable after, and
// AddSeries on it refuses a full batch, a negative count and too many
// steps); and Add refuses a call the kernel's Check refuses, queueing
// nothing.
func TestStreamStops(t *testing.T) {
	sum, err := native.Builtin(kernel.Sum, zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	newB := func() (*kernel.Batch, []float64) {
		b, err := sum.Batch(zerocall.Pinned, 4, 64)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		x := kernel.Elems[float64](b.Handle.Region(0))
		for i := range x {
			x[i] = float64(i)
		}
		return b, x
	}
	stop := errors.New("stop")

	b, x := newB() // got closes the handle at the first result
	puts := 0
	err = b.Stream(12, func(i int, a *kernel.Args, bufs []kernel.Slice) error {
		puts++
		bufs[0] = kernel.SliceOf(x[i%4 : i%4+2])
		return nil
	}, func(i int, r kernel.Return, err error) error {
		if i == 0 {
			b.Close()
		}
		return nil
	})
	if !errors.Is(err, zerocall.ErrClosed) || puts != 4 {
		t.Errorf("closed by got: err = %v, %d puts; want ErrClosed after 4", err, puts)
	}

	b, x = newB() // got fails on a refused call
	err = b.Stream(3, func(i int, a *kernel.Args, bufs []kernel.Slice) error {
		bufs[0] = kernel.SliceOf(x[:2])
		if i == 1 {
			bufs[0] = kernel.SliceOf(make([]float64, 2)) // not in the region
		}
		return nil
	}, func(i int, r kernel.Return, err error) error {
		if i == 1 && !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("refused call: err = %v, want ErrArgument", err)
		}
		if err != nil {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || b.Len() != 0 {
		t.Errorf("got failing on a refusal: err = %v, %d queued; want stop, 0", err, b.Len())
	}

	b, x = newB() // got fails on a result; the batch is usable after
	err = b.Stream(6, func(i int, a *kernel.Args, bufs []kernel.Slice) error {
		bufs[0] = kernel.SliceOf(x[i : i+3])
		return nil
	}, func(i int, r kernel.Return, err error) error {
		if want := float64(3*i + 3); err != nil || r.F != want {
			t.Errorf("call %d: %v, %v; want %v", i, r.F, err, want)
		}
		if i == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || b.Len() != 0 {
		t.Errorf("got failing on a result: err = %v, %d queued", err, b.Len())
	}
	if j, err := b.Add(nil, kernel.SliceOf(x[:4])); j != 0 || err != nil {
		t.Errorf("Add after the stream: %d, %v", j, err)
	}
	if _, err := b.AddSeries(3, nil, []int{1}, kernel.SliceOf(x[:1])); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddSeries(1, nil, nil, kernel.SliceOf(x[:1])); !errors.Is(err, zerocall.ErrCapacity) || b.Len() != 4 {
		t.Errorf("AddSeries on a full batch: %v, %d queued; want ErrCapacity, 4", err, b.Len())
	}
	b.Reset()
	if _, err := b.AddSeries(-1, nil, nil, kernel.SliceOf(x[:1])); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("AddSeries(-1): %v, want ErrArgument", err)
	}
	if _, err := b.AddSeries(1, nil, []int{1, 1}, kernel.SliceOf(x[:1])); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("AddSeries with 2 steps for 1 buffer: %v, want ErrKernel", err)
	}

	mm, err := native.Builtin(kernel.MatMul, zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := mm.Batch(zerocall.Pinned, 2, 16, 16, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	r := func(i int) kernel.Slice { return kernel.SliceOf(kernel.Elems[float64](mb.Handle.Region(i))[:4]) }
	a := &kernel.Args{I: [kernel.MaxScalars]int64{3}} // 3×3 needs 9 elements, the slices have 4
	if j, err := mb.Add(a, r(0), r(1), r(2)); j != -1 || !errors.Is(err, zerocall.ErrLength) || mb.Len() != 0 {
		t.Errorf("matmul Add the Check refuses: %d, %v, %d queued; want -1, ErrLength, 0", j, err, mb.Len())
	}
}
