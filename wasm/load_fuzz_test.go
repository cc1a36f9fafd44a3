package wasm_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/wasm"
)

// FuzzLoad mutates valid modules and runs each through Load, NewOwned,
// NewBatch and their calls under a time limit on wazero: no panic, no
// hang, and every failure wraps one of the package's errors (see
// testkernel.FuzzLoad).
func FuzzLoad(f *testing.F) { testkernel.FuzzLoadTarget(f, testkernel.Loader(wasm.Load)) }
