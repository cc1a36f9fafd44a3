package wasm

import (
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
)

// TestTimeLimitAllocs checks that a call under a time limit allocates
// what wazero's own watch of the call allocates (a goroutine and a
// channel per call: 3 to 4 allocations on average, as the runtime reuses
// goroutines or not) and nothing more: no more than half an allocation
// above a bare CallWithStack of the same export. Each is measured in
// rounds taken in turn, and the least mean of each counts, so that a
// busy moment of the process (other tests' goroutines) is shared.
func TestTimeLimitAllocs(t *testing.T) {
	if kerneltest.Race {
		t.Skip("allocation counts are not exact under the race detector")
	}
	f := testkernel.LoadFunc(t, Load, embed.Bytes(zerocall.SIMD128), zerocall.Config{TimeLimit: testkernel.AmpleLimit}, kernel.Sum, "sum")
	inst, err := newOwned(f, []int{16}, 0)
	if err != nil {
		t.Fatal(err)
	}
	o := inst.Host.(*owned)
	h := regionset.NewHandle(f.k, []int{16}, inst.Views, o)
	defer h.Close()
	a := kernel.Args{Len: [8]int{16}}
	in := []kernel.Slice{h.Region(0)}
	fn := o.inst.(*wazeroInstance).mod.ExportedFunction("sum")
	var stack [1]uint64
	ours, bare := math.Inf(1), math.Inf(1)
	for range 5 {
		ours = min(ours, allocs(func() { _, _ = h.Call(&a, in...) }))
		bare = min(bare, allocs(func() {
			o.fr.Write(o.k, &a)
			stack[0] = api.EncodeU32(o.frame)
			_ = fn.CallWithStack(context.Background(), stack[:])
		}))
	}
	if ours-bare >= 0.5 || bare < 1 {
		t.Errorf("a call under a time limit allocates %.2f times, wazero's bare call %.2f: want no more, and nonzero", ours, bare)
	}
	t.Logf("allocations per call under a time limit: %.2f, wazero's bare call %.2f", ours, bare)
}

// allocs returns the mean allocations of 1000 calls of f.
func allocs(f func()) float64 {
	const n = 1000
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / n
}
