package zerocall_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
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

// TestAddressSpaceLimit makes instances and handles on every host that
// allocates their memory in the process, under an address-space limit
// (ulimit -v) that leaves 1 GiB: regions of 1.4 GiB fail with
// ErrNoMemory, as the constructors document, where the process would
// otherwise die of Go's fatal out-of-memory error (the limit counts what
// the process maps already); regions of 384 MiB are made. Without cgo,
// the native hosts are skipped.
func TestAddressSpaceLimit(t *testing.T) {
	// Each maker takes the bytes its regions hold in all, spread over
	// them.
	type closer interface {
		Err() error
		Close() error
	}
	for _, c := range []struct {
		name string
		make func(bytes int) (closer, error)
	}{
		{"native-pinned", func(n int) (closer, error) { return newPinned(n/24, 0)() }},
		{"native-cowned", func(n int) (closer, error) { return newCOwned(n/24, 0)() }},
		{"native-handle", func(n int) (closer, error) { return nativeHandle(kernel.Sum, zerocall.Pinned, n/8) }},
		{"wasm", func(n int) (closer, error) { return wasm.New(zerocall.Config{Capacity: n / 24}) }},
		{"wasm-handle", func(n int) (closer, error) {
			lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
			if err != nil {
				return nil, err
			}
			f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
			if err != nil {
				return nil, err
			}
			return f.Handle(zerocall.Module, n/12, n/12, n/12)
		}},
	} {
		// A child process each, as the heap keeps the address space of
		// the regions of the one before.
		t.Run(c.name, func(t *testing.T) {
			kerneltest.UnderAddressLimit(t, 1<<30, func(t *testing.T) {
				if strings.HasPrefix(c.name, "native") && !cgoEnabled {
					t.Skip("built without cgo")
				}
				if h, err := c.make(1 << 20); err == nil {
					h.Close()
				}
				h, err := c.make(45 << 25)
				if !errors.Is(err, zerocall.ErrNoMemory) {
					t.Errorf("regions of 1.4 GiB with 1 GiB of address space left: err = %v, want ErrNoMemory", err)
				}
				if err == nil {
					h.Close()
				}
				h, err = c.make(3 << 27)
				if err != nil {
					t.Fatalf("regions of 384 MiB with 1 GiB of address space left: %v", err)
				}
				if err := h.Err(); err != nil {
					t.Errorf("Err() = %v", err)
				}
				if err := h.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
		})
	}
}
