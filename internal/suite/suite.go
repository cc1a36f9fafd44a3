// Package suite lists the implementations zerocall measures and prepares
// one call of a kernel on each, with its inputs in place and its result
// checked against the naive pure-Go reference before it is timed. The
// benchmarks and the zerocall command both measure through it, so they
// measure the same thing.
package suite

import (
	"fmt"
	"math"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/wasm"
)

// Kernel names a kernel as the benchmarks spell it.
type Kernel string

// The kernels.
const (
	Sum    Kernel = "Sum"
	Dot    Kernel = "Dot"
	Axpy   Kernel = "Axpy"
	FIR    Kernel = "FIR"
	MatMul Kernel = "MatMul"
)

// Kernels lists every kernel, cheapest first.
var Kernels = []Kernel{Sum, Dot, Axpy, FIR, MatMul}

// Taps is the number of fir taps every measurement uses.
const Taps = 16

// Sizes returns the sizes a kernel is benchmarked at: n, or m for matmul.
func Sizes(k Kernel) []int {
	switch k {
	case MatMul:
		return []int{8, 32, 128, 256}
	case FIR:
		return []int{16, 1000, 100000, 1000000} // n ≥ Taps
	case Sum:
		return []int{1, 8, 16, 1000, 100000, 1000000} // 8: beside BenchmarkBatch
	}
	return []int{1, 16, 1000, 100000, 1000000}
}

// Capacity is the buffer capacity of the instances measured: enough for
// every size above, so that no measured call streams.
const Capacity = 1 << 20

// Impl is one implementation: a backend and the path through it.
type Impl struct {
	Name    string // in benchmark names: impl=<Name>
	Label   string // the row of the table
	Notes   string // what the row measures
	InPlace bool   // the caller fills the instance's regions; nothing is copied
	New     func() (measure.Kernels, error)
}

// Impls returns every implementation this build has: first the six rows
// of the classic FFI comparison (pure Go, cgo straight, per-call pin, copy
// into a pinned buffer, wasm SIMD, wasm), then the rest.
func Impls() []Impl {
	module := func(m zerocall.Variant) func() (measure.Kernels, error) {
		return func() (measure.Kernels, error) {
			return wasm.New(zerocall.Config{Capacity: Capacity, Taps: Taps, Variant: m})
		}
	}
	all := []Impl{
		{Name: "go", Label: "Pure Go", Notes: "naive loop", New: newOf(gokernels.Naive{})},
		{Name: "cgo-simd", Label: "cgo SIMD", Notes: "Go slice passed straight to C"},
		{Name: "cgo-direct", Label: "cgo Direct", Notes: "per-call Pin/Unpin"},
		{Name: "cgo-prealloc", Label: "cgo Pre-alloc", Notes: "copy into pinned buffer + mutex"},
		{Name: "wasm-simd", Label: "WASM SIMD", Notes: "wazero, copy into module memory, SIMD128", New: module(zerocall.SIMD128)},
		{Name: "wasm", Label: "WASM", Notes: "wazero, copy into module memory, scalar", New: module(zerocall.Scalar)},
		{Name: "go-unrolled", Label: "Go unrolled", Notes: "8 accumulators", New: newOf(gokernels.Unrolled{})},
		goSIMD, // present when built with GOEXPERIMENT=simd on amd64
		{Name: "asm", Label: "Go asm (C)", Notes: "the C kernels as Go assembly: no crossing", New: asmNew},
		{Name: "cgo-inplace", Label: "cgo in-place", Notes: "caller fills pinned buffer", InPlace: true},
		{Name: "cgo-cowned-inplace", Label: "C-owned in-place", Notes: "caller fills C malloc'd buffer", InPlace: true},
		{Name: "wasm-inplace", Label: "WASM in-place", Notes: "wazero, caller fills module memory, SIMD128", InPlace: true, New: module(zerocall.SIMD128)},
		{Name: "cgo-scalar", Label: "cgo scalar", Notes: "straight pass, scalar C"},
	}
	impls := all[:0]
	for _, impl := range all {
		if impl.Name == "" {
			continue // a row this build does not have
		}
		if impl.New == nil {
			impl.New = cgoImpls[impl.Name] // nil in a build without cgo
		}
		if impl.New != nil {
			impls = append(impls, impl)
		}
	}
	return impls
}

// asmNew makes the row of the C kernels translated into Go assembly, in
// their best variant; nil where there is no translation.
var asmNew = func() func() (measure.Kernels, error) {
	if len(asm.Variants()) == 0 {
		return nil
	}
	return func() (measure.Kernels, error) { return measure.Asm(zerocall.Auto) }
}()

func newOf(k measure.Kernels) func() (measure.Kernels, error) {
	return func() (measure.Kernels, error) { return k, nil }
}

// Inputs are the data of one kernel and size, the same for every
// implementation.
type Inputs struct {
	Kernel Kernel
	N      int // elements, or the order m of a matmul
	X, Y   []float64
	Taps   []float64
	Out    []float64
	A      float64
}

// NewInputs returns the inputs of kernel k at size n.
func NewInputs(k Kernel, n int) *Inputs {
	l := n
	if k == MatMul {
		l = n * n
	}
	in := &Inputs{Kernel: k, N: n, X: kerneltest.Data(l, 1), Y: kerneltest.Data(l, 2), Out: make([]float64, l), A: 1.5}
	if k == FIR {
		in.Taps = kerneltest.Data(Taps, 3)
	}
	return in
}

// Prepare returns a function that makes one call of in.Kernel on k. For
// an in-place implementation the inputs are written into the regions once,
// here; the call then only runs the kernel. Before returning, Prepare makes
// the call once and checks its result against the naive reference: a wrong
// answer is an error, never a time. The output is set to NaN before that
// call, so that what another implementation left in it on the same
// inputs cannot pass for this one's result.
func Prepare(impl Impl, k measure.Kernels, in *Inputs) (func() error, error) {
	call, result, err := bind(impl, k, in)
	if err != nil {
		return nil, err
	}
	out := result()
	for i := range out {
		out[i] = math.NaN()
	}
	if err := call(); err != nil {
		return nil, fmt.Errorf("%s %s n=%d: %w", impl.Name, in.Kernel, in.N, err)
	}
	if err := check(in, result()); err != nil {
		return nil, fmt.Errorf("%s %s n=%d: %w", impl.Name, in.Kernel, in.N, err)
	}
	return call, nil
}
