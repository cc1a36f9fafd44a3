// Package measure reaches what the hosts keep only to be measured
// against: the empty crossings that are the floor of any call, the
// built-ins on the caller's slices as a typed API, the per-call pin
// baseline, and the Go assembly's typed built-ins. None of it is part of
// the library's API; the benchmark suite, the benchmark kit and the tests
// use it. Each host sets its hooks when it is initialized, so a hook is
// nil unless its host is linked in.
package measure

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/sealed"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/engine"
)

// Kernels are the built-in kernels on the caller's slices, as every
// implementation the benchmarks compare has them: a *zerocall.Instance,
// the typed paths below, and the plain-Go references. The interface is
// sealed: only this module's types implement it.
type Kernels interface {
	sealed.Interface
	Sum(x []float64) (float64, error)
	Dot(x, y []float64) (float64, error)
	Axpy(a float64, x, y, out []float64) error
	FIR(x, taps, out []float64) (int, error)
	MatMul(a, b, c []float64, m int) error
	Close() error
}

// A Noop calls a host's empty function: the floor of a crossing.
type Noop func(v zerocall.Variant) (call func() error, close func() error, err error)

// The hooks, set by the hosts.
var (
	// CgoNoop calls an empty C function through cgo.
	CgoNoop func()
	// WasmNoop calls the built-in module's empty export on wazero.
	WasmNoop Noop
	// WasmNoopOn calls it on the runtime e (Wasmtime's tests, in its
	// own module, measure it so).
	WasmNoopOn func(e engine.Engine, v zerocall.Variant) (call func() error, close func() error, err error)

	// Straight returns native's built-ins on the caller's slices, each
	// passed straight to C for the call.
	Straight func(v zerocall.Variant) (Kernels, error)
	// Direct returns native's built-ins with the caller's slices pinned
	// and unpinned around each call: the per-call pin baseline.
	Direct func(v zerocall.Variant) (Kernels, error)
	// PinPerCall returns the one-shot call of a native Func (f, a
	// *native.Func) with the caller's slices pinned for each call, or
	// nil if f is no *native.Func.
	PinPerCall func(f any) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	// Asm returns the Go assembly's typed built-ins of variant v.
	Asm func(v zerocall.Variant) (Kernels, error)
	// ValidateSpec is zctest's check of a Spec (s, a zctest.Spec), which
	// the benchmark kit makes of the Spec it measures, as Run does.
	ValidateSpec func(s any) error
)
