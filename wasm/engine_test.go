package wasm_test

import (
	"testing"

	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/enginetest"
)

// TestEngine runs the tests every runtime passes (package
// wasm/enginetest) on wazero: the built-ins' Instance, Funcs through the
// test kit, the hostile modules, sizes, messages, the backstops.
func TestEngine(t *testing.T) { enginetest.Run(t, wasm.Wazero) }
