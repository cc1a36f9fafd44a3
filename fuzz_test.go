package zerocall_test

import (
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/wasm"
)

// The fuzzed instances have small buffers, so that inputs of a few hundred
// values already stream through many blocks and overflow matmul.
const (
	fuzzCapacity = 64
	fuzzTaps     = 8
)

var (
	fuzzOnce    sync.Once
	fuzzTargets []kerneltest.FuzzTarget
)

// targets returns every backend and path, each variant of the C kernels
// (through cgo and as Go assembly) and each wasm module, made once for the whole fuzzing run and never
// closed: they live as long as the process.
func targets(t testing.TB) []kerneltest.FuzzTarget {
	fuzzOnce.Do(func() {
		add := func(name string, k measure.Kernels, err error, capacity int) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			fuzzTargets = append(fuzzTargets, kerneltest.FuzzTargets(name, k, capacity, fuzzTaps)...)
		}
		add("go-unrolled", gokernels.Unrolled{}, nil, 0)
		for _, v := range asm.Variants() {
			k, err := measure.Asm(v)
			add("asm/"+v.String(), k, err, 0)
		}
		nativeFuzzTargets(add)
		for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
			w, err := wasm.New(zerocall.Config{Capacity: fuzzCapacity, Taps: fuzzTaps, Variant: m})
			add("wasm/"+m.String(), w, err, fuzzCapacity)
		}
	})
	return fuzzTargets
}

// FuzzKernels runs every kernel through every backend and path on the
// same inputs and compares each result with the naive pure-Go reference
// under the documented error bound (see kerneltest.Fuzz).
func FuzzKernels(f *testing.F) {
	kerneltest.FuzzSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, off, k, m uint8) {
		kerneltest.Fuzz(t, targets(t), raw, off, k, m)
	})
}
