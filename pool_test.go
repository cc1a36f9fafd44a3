package zerocall_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// TestPoolConcurrent has goroutines fill pooled instances in place and
// check every result: an instance handed to two callers at once would mix
// their inputs.
func TestPoolConcurrent(t *testing.T) {
	var made atomic.Int64
	pool := &zerocall.Pool[*zerocall.Instance]{New: func() (*zerocall.Instance, error) {
		made.Add(1)
		return newInstance(4096, 0)()
	}}
	const goroutines, calls = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			x := kerneltest.Data(1000+g, uint64(g))
			for range calls {
				err := pool.Do(func(in *zerocall.Instance) error {
					copy(in.Regions().X, x)
					runtime.Gosched() // invite another goroutine in
					got, err := in.Sum(in.Regions().X[:len(x)])
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
	pool := &zerocall.Pool[measure.Kernels]{New: func() (measure.Kernels, error) { return nil, boom }}
	called := false
	err := pool.Do(func(measure.Kernels) error { called = true; return nil })
	if !errors.Is(err, boom) || called {
		t.Errorf("Do = %v (f called: %v), want the constructor's error", err, called)
	}
	var zero zerocall.Pool[measure.Kernels]
	if err := zero.Do(func(measure.Kernels) error { called = true; return nil }); !errors.Is(err, zerocall.ErrArgument) || called {
		t.Errorf("Do of a Pool with no New = %v (f called: %v), want ErrArgument", err, called)
	}
}

// TestPoolNewNil: a New that returns a nil instance and no error (a typed
// nil, as a failed constructor's) is refused, not pooled: its cleanup
// would call Close on nil when the collector ran, where no caller could
// recover. An instance New returns beside an error is closed.
func TestPoolNewNil(t *testing.T) {
	pool := &zerocall.Pool[*kernel.Batch]{New: func() (*kernel.Batch, error) { return nil, nil }}
	called := false
	if err := pool.Do(func(*kernel.Batch) error { called = true; return nil }); !errors.Is(err, zerocall.ErrArgument) || called {
		t.Errorf("Do with a New of a nil instance = %v (f called: %v), want ErrArgument", err, called)
	}
	runtime.GC()
	runtime.GC() // runs the cleanups the first queued
	boom := errors.New("boom")
	var in *zerocall.Instance
	both := &zerocall.Pool[*zerocall.Instance]{New: func() (*zerocall.Instance, error) {
		var err error
		in, err = newInstance(64, 0)()
		if err != nil {
			t.Fatal(err)
		}
		return in, boom
	}}
	if err := both.Do(func(*zerocall.Instance) error { return nil }); !errors.Is(err, boom) || !errors.Is(in.Err(), zerocall.ErrClosed) {
		t.Errorf("Do with a New of an instance and an error = %v, instance %v; want the error, and the instance closed", err, in.Err())
	}
}

func TestPoolAllocs(t *testing.T) {
	pool := &zerocall.Pool[measure.Kernels]{New: func() (measure.Kernels, error) { return gokernels.Unrolled{}, nil }}
	x := kerneltest.Data(100, 1)
	var got float64
	f := func(k measure.Kernels) (err error) { got, err = k.Sum(x); return }
	_ = pool.Do(f)
	if a := testing.AllocsPerRun(100, func() { _ = pool.Do(f) }); a != 0 && !raceEnabled {
		t.Errorf("Do: %v allocs per call, want 0", a)
	}
	_ = got
}

// closeCounter is an instance that counts its Closes.
type closeCounter struct {
	gokernels.Naive
	closed *atomic.Int64
}

func (c closeCounter) Close() error { c.closed.Add(1); return nil }

// TestPoolDropCloses checks that instances the garbage collector drops
// from a pool are closed, not leaked.
func TestPoolDropCloses(t *testing.T) {
	var made, closed atomic.Int64
	pool := &zerocall.Pool[measure.Kernels]{New: func() (measure.Kernels, error) {
		made.Add(1)
		return closeCounter{closed: &closed}, nil
	}}
	for range 10 {
		_ = pool.Do(func(measure.Kernels) error { return nil })
	}
	pool = nil
	kerneltest.AfterGC(func() bool { return closed.Load() >= made.Load() })
	if closed.Load() != made.Load() {
		t.Errorf("%d instances made, %d closed after the pool was dropped", made.Load(), closed.Load())
	}
}

// TestPoolDropsUnusable closes the pooled instance inside Do, as the docs
// advise after ErrBroken, or breaks it, or has f report ErrClosed from a
// Kernels that cannot say its state: no later Do may be handed that
// instance again.
func TestPoolDropsUnusable(t *testing.T) {
	x := []float64{1, 2, 3}
	t.Run("closed by f", func(t *testing.T) {
		pool := &zerocall.Pool[*zerocall.Instance]{New: func() (*zerocall.Instance, error) {
			return newInstance(64, 0)()
		}}
		_ = pool.Do(func(in *zerocall.Instance) error { return in.Close() })
		for i := range 5 {
			err := pool.Do(func(in *zerocall.Instance) error {
				s, err := in.Sum(x)
				if err == nil && s != 6 {
					err = errors.New("wrong sum")
				}
				return err
			})
			if err != nil {
				t.Fatalf("Do %d after f closed its instance: %v", i, err)
			}
		}
	})
	t.Run("broken", func(t *testing.T) {
		var engines []*fakeEngine
		pool := &zerocall.Pool[*zerocall.Instance]{New: func() (*zerocall.Instance, error) {
			e := &fakeEngine{r: fakeRegions(64, 8), firCount: -1}
			engines = append(engines, e)
			return backend.NewInstance(e.hosts(), e.r, noRelease())
		}}
		var broken *zerocall.Instance
		_ = pool.Do(func(in *zerocall.Instance) error {
			broken = in
			engines[0].fail = errors.New("trap")
			_, err := in.Sum(in.Regions().X[:1])
			return err
		})
		if err := broken.Err(); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("the pool did not close the broken instance: Err = %v", err)
		}
		for range 5 {
			_ = pool.Do(func(in *zerocall.Instance) error {
				if in == broken {
					t.Fatal("the pool handed out the broken instance again")
				}
				return nil
			})
		}
	})
	t.Run("ErrClosed from f", func(t *testing.T) {
		var closed atomic.Int64
		pool := &zerocall.Pool[measure.Kernels]{New: func() (measure.Kernels, error) {
			return closeCounter{closed: &closed}, nil
		}}
		_ = pool.Do(func(measure.Kernels) error { return fmt.Errorf("wrapped: %w", zerocall.ErrClosed) })
		if closed.Load() != 1 {
			t.Errorf("an instance whose call returned ErrClosed was closed %d times, want once and dropped", closed.Load())
		}
	})
}

// TestPoolBatchReset has a caller of a pooled batch leave a call queued
// and return an error of its own: the next caller given the same batch
// finds nothing queued, and its Run runs its own call alone.
func TestPoolBatchReset(t *testing.T) {
	f := testkernel.LoadFunc(t, wasm.Load, testkernel.Module(), zerocall.Config{}, testkernel.Saxpy, testkernel.Export)
	pool := &zerocall.Pool[*kernel.Batch]{New: func() (*kernel.Batch, error) { return f.Batch(zerocall.Module, 4, 4, 4, 4) }}
	add := func(b *kernel.Batch) error {
		x, y, out := kernel.Elems[float32](b.Region(0)), kernel.Elems[float32](b.Region(1)), kernel.Elems[float32](b.Region(2))
		a := kernel.Args{F: [kernel.MaxScalars]float64{2}}
		_, err := b.Add(&a, kernel.SliceOf(x[:1]), kernel.SliceOf(y[:1]), kernel.SliceOf(out[:1]))
		return err
	}
	mine := errors.New("the caller's own error")
	// sync.Pool may drop the batch between two Do (always, at random,
	// under the race detector): try until the same batch comes back.
	for try := 0; try < 100; try++ {
		var first *kernel.Batch
		if err := pool.Do(func(b *kernel.Batch) error {
			first = b
			if err := add(b); err != nil {
				return err
			}
			return mine
		}); err != mine {
			t.Fatal(err)
		}
		same := false
		if err := pool.Do(func(b *kernel.Batch) error {
			if same = b == first; !same {
				return nil
			}
			if b.Len() != 0 {
				t.Errorf("the next caller's batch holds %d calls", b.Len())
			}
			if err := add(b); err != nil {
				return err
			}
			n, err := b.Run()
			if n != 1 {
				t.Errorf("Run ran %d calls, want the caller's one", n)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if same {
			return
		}
	}
	t.Skip("the pool never handed the same batch back")
}
