package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
)

// load is wasm.Load on Wasmtime.
func load(bin []byte, cfg zerocall.Config) (*wasm.Library, error) {
	cfg.Engine = wasmtime.Engine
	return wasm.Load(bin, cfg)
}

// FuzzLoad is wasm's FuzzLoad on Wasmtime: the same seeds, mutations and
// checks (see testkernel.FuzzLoad).
func FuzzLoad(f *testing.F) { testkernel.FuzzLoadTarget(f, testkernel.Loader(load)) }
