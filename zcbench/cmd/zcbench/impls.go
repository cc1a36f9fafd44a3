package main

import (
	"errors"
	"math"
	"strings"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// measured returns the implementations the command measures: the zerocall
// module's, then the same wasm modules under wasmtime, which lives in a
// module of its own.
func measured() []suite.Impl {
	module := func(m zerocall.Variant) func() (measure.Kernels, error) {
		return func() (measure.Kernels, error) {
			return wasmtime.New(zerocall.Config{Capacity: suite.Capacity, Taps: suite.Taps, Variant: m})
		}
	}
	return append(suite.Impls(),
		suite.Impl{Name: "wasmtime-simd", Label: "wasmtime SIMD", Notes: "wasmtime, copy into module memory, SIMD128", New: module(zerocall.SIMD128)},
		suite.Impl{Name: "wasmtime", Label: "wasmtime", Notes: "wasmtime, copy into module memory, scalar", New: module(zerocall.Scalar)},
		suite.Impl{Name: "wasmtime-inplace", Label: "wasmtime in-place", Notes: "wasmtime, caller fills module memory, SIMD128", InPlace: true, New: module(zerocall.SIMD128)},
	)
}

// options are the benchmark kit's options for built-in kernel k: its
// name, the units of its sizes, and the suite's data, which every
// implementation is measured on.
func options(k suite.Kernel) zcbench.Options {
	o := zcbench.Options{
		Name:     string(k),
		SizeUnit: "float64",
		Inputs: func(n int) []kernel.Slice {
			bufs, _ := suite.NewInputs(k, n).Slices()
			return bufs
		},
	}
	if k == suite.MatMul {
		o.SizeUnit = "(the order m)"
		o.Unit, o.XLabel = "m³ (one multiply-add)", "m (matrices are m×m)"
		o.Work, o.Size = func(m float64) float64 { return m * m * m }, math.Cbrt
	}
	return o
}

// funcSpec describes built-in kernel k to the benchmark kit as a Func on
// each host the command measures: through cgo, and the SIMD module on
// wazero and on Wasmtime. The Go version is the unrolled loops; every
// call is checked against the naive reference, as the typed rows are
// (suite.Prepare). A host that fails to load is left out, and its error
// returned with the rest; release closes the modules.
func funcSpec(k suite.Kernel) (s zctest.Spec, release func(), err error) {
	desc := k.Description()
	var fs []zctest.Func
	var closers []func()
	release = func() {
		for _, c := range closers {
			c()
		}
	}
	var errs []error
	// add keeps a host's Func, or its error, and what unloads it.
	add := func(f zctest.Func, unload func(), err error) {
		if unload != nil {
			closers = append(closers, unload)
		}
		if err != nil {
			errs = append(errs, err)
			return
		}
		fs = append(fs, f)
	}
	f, err := native.Builtin(desc, zerocall.Auto)
	add(f, nil, err)
	add(simdFunc(wasm.Load, desc))
	add(simdFunc(wasmtime.Load, desc))
	if len(fs) == 0 {
		return zctest.Spec{}, release, errors.Join(errs...)
	}
	return zctest.Spec{
		Func: fs[0],
		Also: fs[1:],
		Ref:  suite.GoFunc(k),
		Args: func(n int) kernel.Args {
			_, a := suite.NewInputs(k, n).Slices()
			return a
		},
		Compare: func(a *kernel.Args, in []kernel.Slice, got, _ zctest.Result) error {
			n := in[0].Len()
			if k == suite.MatMul {
				n = int(a.I[0])
			}
			return suite.NewInputs(k, n).Check(got.Return, got.Bufs)
		},
	}, release, errors.Join(errs...)
}

// library is a host's module of C kernels: a wasm or a wasmtime Library.
type library[F zctest.Func] interface {
	Func(k *kernel.Kernel, export string) (F, error)
	Close() error
}

// simdFunc loads the SIMD module with load, a host's Load, and returns
// its Func of kernel k and what unloads the module (nil if it did not
// load).
func simdFunc[L library[F], F zctest.Func](load func([]byte, zerocall.Config) (L, error), k *kernel.Kernel) (zctest.Func, func(), error) {
	lib, err := load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
	if err != nil {
		return nil, nil, err
	}
	unload := func() { lib.Close() }
	f, err := lib.Func(k, k.Name)
	if err != nil {
		return nil, unload, err
	}
	return f, unload, nil
}

// batchRows are the batch rows of the benchmark kit (zcbench.Impls) that
// the command measures, under the names and labels they have always had.
var batchRows = []struct{ from, name, label, notes string }{
	{"cgo-batch", "cgo-batch", "cgo batched", "calls queued, a thousand per crossing, pinned regions"},
	{"wazero-batch", "wasm-batch", "WASM batched", "wazero, calls queued, a thousand per crossing, SIMD128"},
	{"wasmtime-batch", "wasmtime-batch", "wasmtime batched", "wasmtime, calls queued, a thousand per crossing, SIMD128"},
}

// batched returns the batched implementations of built-in kernel k: one
// call of a batch of up to a thousand, through cgo, wazero and Wasmtime,
// those whose host loads. The modules stay loaded for the life of the
// process.
func batched(k suite.Kernel) []zcbench.Impl {
	s, _, _ := funcSpec(k)
	byName := map[string]zcbench.Impl{}
	for _, im := range zcbench.Impls(s, options(k)) {
		byName[im.Name] = im
	}
	var impls []zcbench.Impl
	for _, b := range batchRows {
		if im, ok := byName[b.from]; ok {
			im.Name, im.Label, im.Notes = b.name, b.label, b.notes
			impls = append(impls, im)
		}
	}
	return impls
}

// rows are the rows the command measures for built-in kernel k: every
// implementation, each preparing a checked call of a given size on an
// instance of its own, then the batched ones.
func rows(k suite.Kernel) []zcbench.Impl {
	var impls []zcbench.Impl
	for _, impl := range measured() {
		impls = append(impls, zcbench.Impl{
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
	return append(impls, batched(k)...)
}

// isGo reports whether an implementation is pure Go: go, go-unrolled,
// and go-simd when the command is built with GOEXPERIMENT=simd.
func isGo(impl suite.Impl) bool { return impl.Name == "go" || strings.HasPrefix(impl.Name, "go-") }
