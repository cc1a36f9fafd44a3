package main

import (
	"math"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
)

// measured returns the implementations the command measures: the zerocall
// module's, then the same wasm modules under wasmtime, which lives in a
// module of its own.
func measured() []suite.Impl {
	module := func(m zerocall.Variant) func() (zerocall.Kernels, error) {
		return func() (zerocall.Kernels, error) {
			return wasmtime.New(zerocall.Config{Capacity: suite.Capacity, Taps: suite.Taps, Variant: m})
		}
	}
	return append(suite.Impls(),
		suite.Impl{Name: "wasmtime-simd", Label: "wasmtime SIMD", Notes: "wasmtime, copy into module memory, SIMD128", New: module(zerocall.SIMD128)},
		suite.Impl{Name: "wasmtime", Label: "wasmtime", Notes: "wasmtime, copy into module memory, scalar", New: module(zerocall.Scalar)},
		suite.Impl{Name: "wasmtime-inplace", Label: "wasmtime in-place", Notes: "wasmtime, caller fills module memory, SIMD128", InPlace: true, New: module(zerocall.SIMD128)},
	)
}

// batched returns the batched implementations of built-in kernel k: one
// call of a batch of up to a thousand, through cgo, wazero and Wasmtime.
// The modules stay loaded for the life of the process.
func batched(k suite.Kernel) []zcbench.Impl {
	desc := k.Description()
	in := func(n int) ([]kernel.Slice, kernel.Args) { return suite.NewInputs(k, n).Slices() }
	check := func(n int, r kernel.Return, got []kernel.Slice) error { return suite.NewInputs(k, n).Check(r, got) }
	var impls []zcbench.Impl
	add := func(name, label, notes string, newBatch func(items int, caps []int) (zcbench.Batch, error)) {
		impls = append(impls, zcbench.BatchImpl(name, label, notes, newBatch, in, check))
	}
	if f, err := native.Builtin(desc, zerocall.Auto); err == nil {
		add("cgo-batch", "cgo batched", "calls queued, a thousand per crossing, pinned regions",
			func(items int, caps []int) (zcbench.Batch, error) {
				return f.Batch(zerocall.Pinned, items, caps...)
			})
	}
	if lib, err := wasm.Load(embed.Bytes(zerocall.SIMD128), wasm.LoadConfig{}); err == nil {
		if f, err := lib.Func(desc, desc.Name); err == nil {
			add("wasm-batch", "WASM batched", "wazero, calls queued, a thousand per crossing, SIMD128",
				func(items int, caps []int) (zcbench.Batch, error) { return f.Batch(zerocall.Module, items, caps...) })
		}
	}
	if lib, err := wasmtime.Load(embed.Bytes(zerocall.SIMD128), wasm.LoadConfig{}); err == nil {
		if f, err := lib.Func(desc, desc.Name); err == nil {
			add("wasmtime-batch", "wasmtime batched", "wasmtime, calls queued, a thousand per crossing, SIMD128",
				func(items int, caps []int) (zcbench.Batch, error) { return f.Batch(zerocall.Module, items, caps...) })
		}
	}
	return impls
}

// spec describes a built-in kernel's measurement to the benchmark kit:
// every implementation, each preparing a checked call of a given size on
// an instance of its own, then the batched ones.
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
	s.Impls = append(s.Impls, batched(k)...)
	return s
}

// isGo reports whether an implementation is pure Go: go, go-unrolled,
// and go-simd when the command is built with GOEXPERIMENT=simd.
func isGo(impl suite.Impl) bool { return zcbench.FamilyOf(impl.Name) == zcbench.FamilyGo }
