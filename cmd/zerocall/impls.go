package main

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
)

// measured returns the implementations the command measures: the zerocall
// module's, then the same wasm modules under wasmtime, which lives in a
// module of its own.
func measured() []suite.Impl {
	module := func(m wasm.Module) func() (zerocall.Kernels, error) {
		return func() (zerocall.Kernels, error) {
			return wasmtime.New(wasm.Config{Capacity: suite.Capacity, Taps: suite.Taps, Module: m})
		}
	}
	return append(suite.Impls(),
		suite.Impl{Name: "wasmtime-simd", Label: "wasmtime SIMD", Notes: "wasmtime, copy into module memory, SIMD128", New: module(wasm.SIMD)},
		suite.Impl{Name: "wasmtime", Label: "wasmtime", Notes: "wasmtime, copy into module memory, scalar", New: module(wasm.Scalar)},
		suite.Impl{Name: "wasmtime-inplace", Label: "wasmtime in-place", Notes: "wasmtime, caller fills module memory, SIMD128", InPlace: true, New: module(wasm.SIMD)},
	)
}
