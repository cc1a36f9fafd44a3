package zerocall_test

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/purego"
)

// TestPoolConcurrent has goroutines fill pooled instances in place and
// check every result: an instance handed to two callers at once would mix
// their inputs.
func TestPoolConcurrent(t *testing.T) {
	var made atomic.Int64
	pool := zerocall.NewPool(func() (*zerocall.Instance, error) {
		made.Add(1)
		return native.NewPinned(native.Config{Capacity: 4096})
	})
	const goroutines, calls = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			x := kerneltest.Data(1000+g, uint64(g))
			for range calls {
				err := pool.Do(func(in *zerocall.Instance) error {
					copy(in.Regions().X, x)
					runtime.Gosched() // invite another goroutine in
					got, err := in.SumN(len(x))
					if err != nil {
						return err
					}
					return kerneltest.CheckSum(x, got)
				})
				if err != nil {
					t.Errorf("goroutine %d: %v", g, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d goroutines × %d calls used %d instances", goroutines, calls, made.Load())
}

func TestPoolNewError(t *testing.T) {
	boom := errors.New("boom")
	pool := zerocall.NewPool(func() (zerocall.Kernels, error) { return nil, boom })
	called := false
	err := pool.Do(func(zerocall.Kernels) error { called = true; return nil })
	if !errors.Is(err, boom) || called {
		t.Errorf("Do = %v (f called: %v), want the constructor's error", err, called)
	}
}

func TestPoolAllocs(t *testing.T) {
	pool := zerocall.NewPool(func() (zerocall.Kernels, error) { return purego.Unrolled{}, nil })
	x := kerneltest.Data(100, 1)
	var got float64
	f := func(k zerocall.Kernels) (err error) { got, err = k.Sum(x); return }
	_ = pool.Do(f)
	if a := testing.AllocsPerRun(100, func() { _ = pool.Do(f) }); a != 0 && !raceEnabled {
		t.Errorf("Do: %v allocs per call, want 0", a)
	}
	_ = got
}

// closeCounter is an instance that counts its Closes.
type closeCounter struct {
	purego.Naive
	closed *atomic.Int64
}

func (c closeCounter) Close() error { c.closed.Add(1); return nil }

// TestPoolDropCloses checks that instances the garbage collector drops
// from a pool are closed, not leaked.
func TestPoolDropCloses(t *testing.T) {
	var made, closed atomic.Int64
	pool := zerocall.NewPool(func() (zerocall.Kernels, error) {
		made.Add(1)
		return closeCounter{closed: &closed}, nil
	})
	for range 10 {
		_ = pool.Do(func(zerocall.Kernels) error { return nil })
	}
	pool = nil
	for i := 0; i < 50 && closed.Load() < made.Load(); i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if closed.Load() != made.Load() {
		t.Errorf("%d instances made, %d closed after the pool was dropped", made.Load(), closed.Load())
	}
}
