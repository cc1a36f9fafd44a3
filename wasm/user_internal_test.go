package wasm

import (
	"context"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
)

// TestTimeLimitAllocs checks that a call under a time limit allocates
// what wazero's own watch of the call allocates (a goroutine and a
// channel per call: 3 or 4 allocations, as the benchmarks and
// testing.AllocsPerRun count them) and nothing more:
// the same count as a bare CallWithStack of the same export.
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
	ours := testing.AllocsPerRun(100, func() { _, _ = h.Call(&a) })
	h.fr.Write(f.k, &a)
	bare := testing.AllocsPerRun(100, func() {
		h.stack[0] = api.EncodeU32(h.frame)
		_ = h.fn.CallWithStack(context.Background(), h.stack[:])
	})
	if ours != bare || bare == 0 {
		t.Errorf("a call under a time limit allocates %v times, wazero's bare call %v: want the same, and nonzero", ours, bare)
	}
	t.Logf("allocations per call under a time limit: %v (wazero's own)", bare)
}
