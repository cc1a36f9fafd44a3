// Package embed holds the bytes of the zerocall wasm modules and the list
// of their exports, and nothing else: it imports no engine, so every host
// (wazero in package wasm, Wasmtime in package wasmtime) takes the modules
// from here. build.sh builds them from the C sources, linking exactly the
// exports of exports.txt.
package embed

import (
	_ "embed"
	"strings"

	"github.com/zerocall/zerocall"
)

var (
	//go:embed zerocall_simd.wasm
	simd []byte
	//go:embed zerocall.wasm
	scalar []byte
	//go:embed exports.txt
	exports string
)

// Bytes returns the bytes of the module built for v: Scalar, or SIMD128
// (which Auto stands for); nil for any other variant. The slice is
// shared: it must not be modified.
func Bytes(v zerocall.Variant) []byte {
	switch v {
	case zerocall.Auto, zerocall.SIMD128:
		return simd
	case zerocall.Scalar:
		return scalar
	}
	return nil
}

// Exports returns the names of the functions every module exports
// (besides its memory), in the order of exports.txt.
func Exports() []string { return strings.Fields(exports) }
