package zerocall_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/wasm"
)

// soakTypes are the instance types with stable buffers, at a small
// capacity so that the soaks measure the patterns, not the buffers.
var soakTypes = []struct {
	name string
	new  func() (*zerocall.Instance, error)
}{
	{"cgo-pinned", newPinned(1024, 16)},
	{"cgo-cowned", newCOwned(1024, 16)},
	{"wasm", func() (*zerocall.Instance, error) { return wasm.New(zerocall.Config{Capacity: 1024, Taps: 16}) }},
}

// TestConcurrencySoak has 8 goroutines make 300 checked calls each on one
// shared instance (its mutex), through a Pool (in place), and on an
// instance of their own, for every instance type.
func TestConcurrencySoak(t *testing.T) {
	const goroutines, calls = 8, 300
	for _, st := range soakTypes {
		t.Run(st.name, func(t *testing.T) {
			skipNoCgo(t, st.name)
			shared, err := st.new()
			if err != nil {
				t.Fatal(err)
			}
			defer shared.Close()
			pool := &zerocall.Pool[*zerocall.Instance]{New: st.new}
			soak := func(t *testing.T, call func(g int, x []float64) (float64, error)) {
				var wg sync.WaitGroup
				for g := range goroutines {
					wg.Go(func() {
						x := kerneltest.Data(500+g, uint64(g))
						for i := range calls {
							got, err := call(g, x)
							if err == nil {
								err = kerneltest.CheckSum(x, got)
							}
							if err != nil {
								t.Errorf("goroutine %d call %d: %v", g, i, err)
								return
							}
						}
					})
				}
				wg.Wait()
			}
			t.Run("shared", func(t *testing.T) {
				soak(t, func(_ int, x []float64) (float64, error) { return shared.Sum(x) })
			})
			t.Run("pool", func(t *testing.T) {
				soak(t, func(_ int, x []float64) (s float64, err error) {
					err = pool.Do(func(in *zerocall.Instance) error {
						copy(in.Regions().X, x)
						s, err = in.Sum(in.Regions().X[:len(x)])
						return err
					})
					return s, err
				})
			})
			t.Run("own", func(t *testing.T) {
				own := make([]*zerocall.Instance, goroutines)
				for g := range own {
					if own[g], err = st.new(); err != nil {
						t.Fatal(err)
					}
					defer own[g].Close()
				}
				soak(t, func(g int, x []float64) (float64, error) {
					copy(own[g].Regions().X, x)
					return own[g].Sum(own[g].Regions().X[:len(x)])
				})
			})
		})
	}
}

// TestLeakSoak creates and closes 100000 instances of every type and
// checks that neither the Go heap nor the process's resident memory grows
// with the count.
func TestLeakSoak(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a soak: skipped with -short and under the race detector")
	}
	const cycles = 100000
	for _, st := range soakTypes {
		t.Run(st.name, func(t *testing.T) {
			skipNoCgo(t, st.name)
			cycle := func() {
				in, err := st.new()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := in.Sum(in.Regions().X[:10]); err != nil {
					t.Fatal(err)
				}
				in.Close()
			}
			for range cycles / 10 { // warm up: let the heap and caches reach their size
				cycle()
			}
			heap0, rss0 := memory(t)
			for range cycles {
				cycle()
			}
			heap1, rss1 := memory(t)
			t.Logf("%d cycles: heap %+.1f MiB, RSS %+.1f MiB", cycles, mib(heap1-heap0), mib(rss1-rss0))
			// Far below a leak of 1 KiB a cycle (100 MiB), let alone of a
			// buffer (24 KiB): the RSS of wazero's cycles was seen to move
			// by up to 16.4 MiB on a busy machine, with the heap flat.
			const bound = 48 << 20
			if heap1-heap0 > bound || rss1-rss0 > bound {
				t.Errorf("memory grew by heap %.1f MiB, RSS %.1f MiB over %d cycles (bound %.0f MiB)",
					mib(heap1-heap0), mib(rss1-rss0), cycles, mib(bound))
			}
		})
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// memory returns the live Go heap and the resident set size, in bytes,
// after a full collection.
func memory(t *testing.T) (heap, rss int64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	f := strings.Fields(string(b))
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		t.Fatal(fmt.Errorf("statm: %w", err))
	}
	return int64(ms.HeapAlloc), pages * int64(os.Getpagesize())
}
