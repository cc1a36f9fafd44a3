//go:build !(goexperiment.simd && amd64)

package suite

// goSIMD is the pure-Go SIMD row, absent from this build: it needs
// GOEXPERIMENT=simd on amd64.
var goSIMD Impl
