//go:build !cgo

package native

// This package is C called through cgo; built with CGO_ENABLED=0 it has
// nothing to offer, and the build stops here with the reason as the name
// of the missing identifier. The packages of zerocall that need no cgo
// (zerocall, backend, kernel, gokernels, wasm) build without it.
const _ = package_native_needs_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler
