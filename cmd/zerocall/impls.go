package main

import (
	"math"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
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

// spec describes a built-in kernel's measurement to the benchmark kit:
// every implementation, each preparing a checked call of a given size on
// an instance of its own.
func spec(k suite.Kernel) zcbench.Spec {
	s := zcbench.Spec{Kernel: string(k)}
	if k == suite.MatMul {
		s.Unit, s.XLabel = "m³ (one multiply-add)", "m (matrices are m×m)"
		s.Work, s.Size = func(m float64) float64 { return m * m * m }, math.Cbrt
	}
	for _, impl := range measured() {
		s.Impls = append(s.Impls, zcbench.Impl{
			Name: impl.Name, Label: impl.Label, Notes: impl.Notes, Go: isGo(impl),
			Prepare: func(n int) (func() error, func(), error) {
				inst, err := impl.New()
				if err != nil {
					return nil, nil, err
				}
				call, err := suite.Prepare(impl, inst, suite.NewInputs(k, n))
				if err != nil {
					inst.Close()
					return nil, nil, err
				}
				return call, func() { inst.Close() }, nil
			},
		})
	}
	return s
}

// isGo reports whether an implementation is pure Go.
func isGo(impl suite.Impl) bool { return impl.Name == "go" || impl.Name == "go-unrolled" }
