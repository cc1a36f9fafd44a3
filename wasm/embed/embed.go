// Package embed holds the bytes of the zerocall wasm modules and the list
// of their exports, and nothing else: it imports no engine, so every host
// (wazero in package wasm, Wasmtime in package wasmtime) takes the modules
// from here. build.sh builds them from the C sources, linking exactly the
// exports of exports.txt.
package embed

import (
	_ "embed"
	"strings"
)

// Module selects one of the modules.
type Module int

const (
	// SIMD is the module built with WebAssembly SIMD128 kernels.
	SIMD Module = iota
	// Scalar is the module built with the scalar reference kernels.
	Scalar
)

// String returns the module's name.
func (m Module) String() string {
	switch m {
	case SIMD:
		return "simd128"
	case Scalar:
		return "scalar"
	}
	return "unknown"
}

var (
	//go:embed zerocall_simd.wasm
	simd []byte
	//go:embed zerocall.wasm
	scalar []byte
	//go:embed exports.txt
	exports string
)

// Bytes returns the module's bytes, or nil for an unknown Module. The
// slice is shared: it must not be modified.
func (m Module) Bytes() []byte {
	switch m {
	case SIMD:
		return simd
	case Scalar:
		return scalar
	}
	return nil
}

// Exports returns the names of the functions every module exports
// (besides its memory), in the order of exports.txt.
func Exports() []string { return strings.Fields(exports) }
