package zcbench

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/zerocall/zerocall"
	hooks "github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasm/engine"
	"github.com/zerocall/zerocall/zctest"
)

// Builtin returns the benchmark of the built-in kernel k (kernel.Sum, Dot,
// Axpy, FIR or MatMul) as the zcbench command and make bench measure it,
// on the suite's data, every call checked against the naive reference
// before it is timed:
//
//   - o.Impls are every implementation this build has, under the names of
//     the benchmarks (the seed's six rows first: go, cgo-simd, cgo-direct,
//     cgo-prealloc, wasm-simd, wasm; then go-unrolled, asm, the in-place
//     rows and cgo-scalar), each on an instance of the built-ins of its
//     own, then the built-in modules on each runtime of engines
//     (<name>-simd, <name>, <name>-inplace), then the batched rows
//     (cgo-batch, wasm-batch, <name>-batch);
//   - s describes k as a Func on cgo and on the SIMD module of wazero and
//     of each engine, for Parallel (which takes no Impls);
//   - o names the kernel as the benchmarks do (Sum, …, MatMul), sets the
//     sweep's sizes, and Check refuses a size the instances cannot take
//     in one call.
//
// release unloads the modules of s. A runtime whose module fails to
// load leaves its rows out, and its error is returned with the rest.
func Builtin(k *kernel.Kernel, engines ...engine.Engine) (s zctest.Spec, o Options, release func(), err error) {
	sk, ok := suiteKernel(k)
	if !ok {
		name := "a nil kernel"
		if k != nil {
			name = k.Name
		}
		return zctest.Spec{}, Options{}, func() {}, fmt.Errorf("zcbench: %s is not a built-in kernel", name)
	}
	s, release, err = builtinSpec(sk, engines)
	o = builtinOptions(sk)
	impls := builtinRows(sk, engines)
	if s.Func != nil {
		impls = append(impls, batchedRows(s, o, engines)...)
	}
	o.Impls = impls
	return s, o, release, err
}

// suiteKernel returns the suite's name of built-in kernel k.
func suiteKernel(k *kernel.Kernel) (suite.Kernel, bool) {
	for _, sk := range suite.Kernels {
		if sk.Description() == k {
			return sk, true
		}
	}
	return "", false
}

// builtinOptions are the options of built-in kernel k: its name, the
// units of its sizes, the suite's data, the sweep's sizes and the sizes
// its instances take.
func builtinOptions(k suite.Kernel) Options {
	o := Options{
		Name:     string(k),
		SizeUnit: "float64",
		Sizes:    []int{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576},
		Inputs: func(n int) []kernel.Slice {
			bufs, _ := suite.NewInputs(k, n).Slices()
			return bufs
		},
		Check: func(n int) error { return checkBuiltinSize(k, n) },
	}
	switch k {
	case suite.MatMul:
		o.SizeUnit = "(the order m)"
		o.Unit, o.XLabel = "m³ (one multiply-add)", "m (matrices are m×m)"
		o.Work, o.Size = func(m float64) float64 { return m * m * m }, math.Cbrt
		o.Sizes = []int{2, 4, 8, 16, 32, 64, 128, 256}
	case suite.FIR:
		o.Sizes = o.Sizes[2:] // from the number of taps
	}
	return o
}

// checkBuiltinSize refuses a size of kernel k that the suite's instances
// cannot take in one call.
func checkBuiltinSize(k suite.Kernel, n int) error {
	switch {
	case n < 1:
		return errors.New("sizes must be at least 1")
	case k == suite.FIR && n < suite.Taps:
		return fmt.Errorf("fir needs sizes of at least %d, its number of taps", suite.Taps)
	case k == suite.MatMul && n*n > suite.Capacity:
		return fmt.Errorf("matmul takes orders m up to %d", int(math.Sqrt(suite.Capacity)))
	case n > suite.Capacity:
		return fmt.Errorf("sizes may be at most %d", suite.Capacity)
	}
	return nil
}

// builtinRows are the suite's implementations of k, then the built-in
// modules on each of engines, each row preparing a checked call of a
// given size on an instance of its own.
func builtinRows(k suite.Kernel, engines []engine.Engine) []Impl {
	all := suite.Impls()
	for _, e := range engines {
		module := func(v zerocall.Variant) func() (hooks.Kernels, error) {
			return func() (hooks.Kernels, error) {
				return wasm.New(zerocall.Config{Capacity: suite.Capacity, Taps: suite.Taps, Variant: v, Engine: e})
			}
		}
		n := e.Name()
		all = append(all,
			suite.Impl{Name: n + "-simd", Label: n + " SIMD", Notes: n + ", copy into module memory, SIMD128", New: module(zerocall.SIMD128)},
			suite.Impl{Name: n, Label: n, Notes: n + ", copy into module memory, scalar", New: module(zerocall.Scalar)},
			suite.Impl{Name: n + "-inplace", Label: n + " in-place", Notes: n + ", caller fills module memory, SIMD128", InPlace: true, New: module(zerocall.SIMD128)},
		)
	}
	var impls []Impl
	for _, impl := range all {
		impls = append(impls, Impl{
			Name: impl.Name, Label: impl.Label, Notes: impl.Notes, Go: impl.Name == "go" || strings.HasPrefix(impl.Name, "go-"),
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
	return impls
}

// builtinSpec describes k as a Func on cgo and on the SIMD module of
// wazero and of each of engines. The Go version is the unrolled loops;
// every call is checked against the naive reference, as the rows are
// (suite.Prepare).
func builtinSpec(k suite.Kernel, engines []engine.Engine) (s zctest.Spec, release func(), err error) {
	desc := k.Description()
	var fs []zctest.Func
	var libs []*wasm.Library
	release = func() {
		for _, l := range libs {
			l.Close()
		}
	}
	var errs []error
	if f, err := nativeBuiltin(desc); err == nil {
		fs = append(fs, f)
	} else {
		errs = append(errs, err)
	}
	for _, load := range append([]func([]byte, zerocall.Config) (*wasm.Library, error){wasm.Load}, loaders(engines)...) {
		lib, err := load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		libs = append(libs, lib)
		f, err := lib.Func(desc, desc.Name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fs = append(fs, f)
	}
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

// loaders returns wasm.Load on each of engines.
func loaders(engines []engine.Engine) []func([]byte, zerocall.Config) (*wasm.Library, error) {
	var ls []func([]byte, zerocall.Config) (*wasm.Library, error)
	for _, e := range engines {
		ls = append(ls, func(bin []byte, cfg zerocall.Config) (*wasm.Library, error) {
			cfg.Engine = e
			return wasm.Load(bin, cfg)
		})
	}
	return ls
}

// batchedRows are the batch rows of s's Funcs (Impls), under the names
// and labels the benchmarks have always given them: one call of a batch
// of up to a thousand, through cgo, wazero and each of engines.
func batchedRows(s zctest.Spec, o Options, engines []engine.Engine) []Impl {
	type rename struct{ name, label, notes string }
	names := map[string]rename{
		"cgo-batch":    {"cgo-batch", "cgo batched", "calls queued, up to a thousand per crossing, pinned regions"},
		"wazero-batch": {"wasm-batch", "WASM batched", "wazero, calls queued, up to a thousand per crossing, SIMD128"},
	}
	for _, e := range engines {
		n := e.Name()
		names[n+"-batch"] = rename{n + "-batch", n + " batched", n + ", calls queued, up to a thousand per crossing, SIMD128"}
	}
	var impls []Impl
	for _, im := range Impls(s, o) {
		if r, ok := names[im.Name]; ok {
			im.Name, im.Label, im.Notes = r.name, r.label, r.notes
			impls = append(impls, im)
		}
	}
	return impls
}
