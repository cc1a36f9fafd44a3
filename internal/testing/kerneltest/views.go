package kerneltest

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"

	"github.com/zerocall/zerocall"
)

// Backstop checks that the garbage-collection backstop leaves the views
// of an instance's regions usable. It makes an instance with newFn, fills
// its regions, drops it without Close, waits for the backstop to count it
// (adding one to expected, the drops the package's TestMain allows), and
// then reads and writes every element through the views, which must
// still hold what was written.
func Backstop(t *testing.T, newFn func() (*zerocall.Instance, error), expected *atomic.Int64) {
	t.Helper()
	before := zerocall.Leaked()
	r := dropped(t, newFn)
	expected.Add(1)
	if !AfterGC(func() bool { return zerocall.Leaked() != before }) {
		t.Fatal("the backstop did not run")
	}
	runtime.GC()
	UseViews(t, r)
}

// dropped returns the filled regions of a new instance that nothing else
// refers to.
func dropped(t *testing.T, newFn func() (*zerocall.Instance, error)) zerocall.Regions {
	t.Helper()
	in, err := newFn()
	if err != nil {
		t.Fatal(err)
	}
	r := in.Regions()
	FillViews(r)
	return r
}

// FillViews writes a pattern into every element of the regions r, for
// UseViews to find.
func FillViews(r zerocall.Regions) {
	for i, s := range [][]float64{r.X, r.Y, r.Taps, r.Out} {
		for j := range s {
			s[j] = float64(i*1_000_000 + j)
		}
	}
}

// UseViews checks that the views r of an instance dropped without Close
// still point at live memory holding what FillViews wrote, and writes
// every element. A fault (memory freed under the views) fails the test
// instead of killing the process.
func UseViews(t *testing.T, r zerocall.Regions) {
	t.Helper()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("a view of a dropped instance points at freed memory: %v", p)
		}
	}()
	if len(r.X) == 0 {
		t.Fatal("no regions")
	}
	for i, s := range [][]float64{r.X, r.Y, r.Taps, r.Out} {
		for j := range s {
			if s[j] != float64(i*1_000_000+j) {
				t.Fatalf("region %d[%d] = %v, want %d: the memory was reused", i, j, s[j], i*1_000_000+j)
			}
			s[j] = -1
		}
	}
}

// Largest makes an instance with newFn at the largest size the wasm
// hosts accept, capacity and taps both, and calls it at that size: the
// module's memory must hold it. It is skipped with -short and under the
// race detector, for its 2 GiB of module memory.
func Largest(t *testing.T, newFn func() (*zerocall.Instance, error)) {
	t.Helper()
	if Race || testing.Short() {
		t.Skip("2 GiB of module memory: skipped with -short and under the race detector")
	}
	in, err := newFn()
	if err != nil {
		t.Fatalf("New at MaxCapacity: %v", err)
	}
	defer in.Close()
	r := in.Regions()
	r.X[len(r.X)-1], r.Taps[len(r.Taps)-1] = 3, 4
	if s, err := in.Sum(r.X); err != nil || s != 3 {
		t.Errorf("Sum(X) in place at MaxCapacity = %v, %v", s, err)
	}
}
