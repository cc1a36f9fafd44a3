package wasmtimetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
)

// targets returns both modules on wasmtime, copy-in and in place, with
// small regions, made once for the fuzzing run and kept for the process.
var targets = sync.OnceValue(func() []kerneltest.FuzzTarget {
	const capacity, taps = 64, 8
	var ts []kerneltest.FuzzTarget
	for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		in, err := wasm.New(zerocall.Config{Capacity: capacity, Taps: taps, Variant: m, Engine: wasmtime.Engine})
		if err != nil {
			panic(err)
		}
		ts = append(ts, kerneltest.FuzzTargets("wasmtime/"+m.String(), in, capacity, taps)...)
	}
	return ts
})

// FuzzKernels is the main module's differential fuzz target on wasmtime:
// the same inputs, seeds and checks (see kerneltest.Fuzz).
func FuzzKernels(f *testing.F) {
	kerneltest.FuzzSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, off, k, m uint8) {
		kerneltest.Fuzz(t, targets(), raw, off, k, m)
	})
}

// TestAddressSpace makes the built-ins' instance under an address-space
// limit (ulimit -v) that leaves 1 GiB, less than the 4 GiB range each
// Wasmtime memory reserves: it fails with ErrNoMemory, as on every host,
// not ErrLoad.
func TestAddressSpace(t *testing.T) {
	kerneltest.UnderAddressLimit(t, 1<<30, func(t *testing.T) {
		in, err := wasm.New(zerocall.Config{Engine: wasmtime.Engine})
		if err == nil {
			in.Close()
		}
		if !errors.Is(err, zerocall.ErrNoMemory) {
			t.Errorf("an instance with 1 GiB of address space left: %v, want ErrNoMemory", err)
		}
	})
}
