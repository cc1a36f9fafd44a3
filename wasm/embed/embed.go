// Package embed holds the bytes of the zerocall wasm modules, and nothing
// else: it imports no engine, so every host (wazero in package wasm,
// Wasmtime in package wasmtime) takes the modules from here. build.sh
// builds them from the C sources, linking exactly the exports of
// exports.txt, the one export list the hosts are tested against.
package embed

import (
	_ "embed"

	"github.com/zerocall/zerocall"
)

var (
	//go:embed zerocall_simd.wasm
	simd []byte
	//go:embed zerocall.wasm
	scalar []byte
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
