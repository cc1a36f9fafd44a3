package wasm_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// FuzzLoad mutates valid modules and runs each through Load, NewOwned,
// NewBatch and their calls under a time limit: no panic, no hang, and
// every failure wraps one of the package's errors (see
// testkernel.FuzzLoad).
func FuzzLoad(f *testing.F) {
	testkernel.LoadSeeds(f)
	f.Fuzz(func(t *testing.T, bin []byte) { testkernel.FuzzLoad(t, load, bin) })
}
