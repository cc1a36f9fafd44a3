package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/wasmtime"
)

// FuzzLoad is wasm's FuzzLoad on Wasmtime: the same seeds, mutations and
// checks (see testkernel.FuzzLoad).
func FuzzLoad(f *testing.F) { testkernel.FuzzLoadTarget(f, testkernel.Loader(wasmtime.Load)) }
