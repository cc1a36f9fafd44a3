package wasm

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
)

// TestTimeLimitAllocs checks that a call under a time limit allocates
// what wazero's own watch of the call allocates (a goroutine and a
// channel per call: 3 to 4 allocations on average, as the runtime reuses
// goroutines or not) and nothing more: on average within half an
// allocation of a bare CallWithStack of the same export.
func TestTimeLimitAllocs(t *testing.T) {
	if kerneltest.Race {
		t.Skip("allocation counts are not exact under the race detector")
	}
	lib, err := Load(embed.SIMD.Bytes(), LoadConfig{TimeLimit: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(kernel.Sum, "sum")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewOwned(f, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	a := kernel.Args{Len: [kernel.MaxBuffers]int{16}}
	ours := allocs(func() { _, _ = h.Call(&a) })
	h.fr.Write(f.k, &a)
	bare := allocs(func() {
		h.stack[0] = api.EncodeU32(h.frame)
		_ = h.fn.CallWithStack(context.Background(), h.stack[:])
	})
	if math.Abs(ours-bare) >= 0.5 || bare < 1 {
		t.Errorf("a call under a time limit allocates %.2f times, wazero's bare call %.2f: want the same, and nonzero", ours, bare)
	}
	t.Logf("allocations per call under a time limit: %.2f, wazero's bare call %.2f", ours, bare)
}

// allocs returns the mean allocations of 2000 calls of f.
func allocs(f func()) float64 {
	const n = 2000
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / n
}
