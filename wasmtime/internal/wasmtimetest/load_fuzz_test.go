package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/wasmtime"
)

// FuzzLoad mutates valid modules and runs each through Load, NewOwned,
// NewBatch and their calls under a time limit: no panic, no hang, no
// fault, and every failure wraps one of the package's errors (see
// testkernel.FuzzLoad).
func FuzzLoad(f *testing.F) {
	testkernel.LoadSeeds(f)
	f.Fuzz(func(t *testing.T, bin []byte) { testkernel.FuzzLoad(t, load, bin) })
}

// load loads a module on Wasmtime for the fuzz target.
var load = testkernel.Loader(wasmtime.Load)
