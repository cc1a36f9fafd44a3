package wasmtime

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/purego"
)

// The benchmark names follow the main module's contract, parsed by tools:
// Benchmark<Kernel>/n=<N>/impl=<name>, with N the matrix order for MatMul.
// The pure-Go row, impl=go, is here too, so that ratios can be read from
// one run.

// The sizes of the instances measured, as in the main module: enough for
// every size below, so that no measured call streams.
const (
	benchCapacity = 1 << 20
	benchTaps     = 16
)

// benchImpl is one implementation: a backend and the path through it.
type benchImpl struct {
	name    string
	inPlace bool // the caller fills the regions once; nothing is copied
	new     func() (zerocall.Kernels, error)
}

var benchImpls = func() []benchImpl {
	module := func(m Module) func() (zerocall.Kernels, error) {
		return func() (zerocall.Kernels, error) {
			return New(Config{Capacity: benchCapacity, Taps: benchTaps, Module: m})
		}
	}
	return []benchImpl{
		{"go", false, func() (zerocall.Kernels, error) { return purego.Naive{}, nil }},
		{"wasmtime", false, module(Scalar)},
		{"wasmtime-simd", false, module(SIMD)},
		{"wasmtime-inplace", true, module(SIMD)},
	}
}()

// benchInputs are the data of one kernel and size, the same for every
// implementation.
type benchInputs struct {
	kernel          string
	n               int // elements, or the order m of a matmul
	x, y, taps, out []float64
	a               float64
}

// The sizes are n, or m for MatMul; FIR needs n ≥ taps.

func BenchmarkSum(b *testing.B) {
	benchKernel(b, "Sum", 1, 16, 1000, 100000, 1000000)
}

func BenchmarkDot(b *testing.B) {
	benchKernel(b, "Dot", 1, 16, 1000, 100000, 1000000)
}

func BenchmarkAxpy(b *testing.B) {
	benchKernel(b, "Axpy", 1, 16, 1000, 100000, 1000000)
}

func BenchmarkFIR(b *testing.B) {
	benchKernel(b, "FIR", 16, 1000, 100000, 1000000)
}

func BenchmarkMatMul(b *testing.B) {
	benchKernel(b, "MatMul", 8, 32, 128, 256)
}

func benchKernel(b *testing.B, kernel string, sizes ...int) {
	for _, n := range sizes {
		l := n
		if kernel == "MatMul" {
			l = n * n
		}
		in := &benchInputs{kernel: kernel, n: n, x: data(l, 1), y: data(l, 2), out: make([]float64, l), a: 1.5}
		if kernel == "FIR" {
			in.taps = data(benchTaps, 3)
		}
		for _, impl := range benchImpls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) {
				k, err := impl.new()
				if err != nil {
					b.Fatal(err)
				}
				defer k.Close()
				call, err := prepare(impl, k, in)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// prepare returns one call of in.kernel on k. An in-place implementation
// has the inputs written into its regions here, once. The call is made
// once and its result checked against the naive reference before it is
// timed: a wrong answer is an error, never a time.
func prepare(impl benchImpl, k zerocall.Kernels, in *benchInputs) (func() error, error) {
	call, result, err := bind(impl, k, in)
	if err != nil {
		return nil, err
	}
	if err := call(); err != nil {
		return nil, err
	}
	got := result()
	switch in.kernel {
	case "Sum":
		err = checkSum(in.x, got[0])
	case "Dot":
		err = checkDot(in.x, in.y, got[0])
	case "Axpy":
		err = checkAxpy(in.a, in.x, in.y, got)
	case "FIR":
		err = checkFIR(in.x, in.taps, got)
	case "MatMul":
		err = checkMatMul(in.x, in.y, got, in.n)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s n=%d: %w", impl.name, in.kernel, in.n, err)
	}
	return call, nil
}

// bind returns one call of in.kernel on k and a function returning the
// result of the last call.
func bind(impl benchImpl, k zerocall.Kernels, in *benchInputs) (call func() error, result func() []float64, err error) {
	var s float64
	scalar := func() []float64 { return []float64{s} }
	n, nout := in.n, in.n-len(in.taps)+1
	if !impl.inPlace {
		switch in.kernel {
		case "Sum":
			return func() (err error) { s, err = k.Sum(in.x); return }, scalar, nil
		case "Dot":
			return func() (err error) { s, err = k.Dot(in.x, in.y); return }, scalar, nil
		case "Axpy":
			return func() error { return k.Axpy(in.a, in.x, in.y, in.out) }, func() []float64 { return in.out }, nil
		case "FIR":
			return func() error { _, err := k.FIR(in.x, in.taps, in.out); return err },
				func() []float64 { return in.out[:nout] }, nil
		case "MatMul":
			return func() error { return k.MatMul(in.x, in.y, in.out, n) }, func() []float64 { return in.out }, nil
		}
		return nil, nil, fmt.Errorf("unknown kernel %q", in.kernel)
	}
	ip, ok := k.(zerocall.InPlace)
	if !ok {
		return nil, nil, errors.New("no in-place methods")
	}
	r := ip.Regions()
	copy(r.X, in.x)
	copy(r.Y, in.y)
	copy(r.Taps, in.taps)
	switch in.kernel {
	case "Sum":
		return func() (err error) { s, err = ip.SumN(n); return }, scalar, nil
	case "Dot":
		return func() (err error) { s, err = ip.DotN(n); return }, scalar, nil
	case "Axpy":
		return func() error { return ip.AxpyN(in.a, n) }, func() []float64 { return r.Out[:n] }, nil
	case "FIR":
		return func() error { _, err := ip.FIRN(n, len(in.taps)); return err },
			func() []float64 { return r.Out[:nout] }, nil
	case "MatMul":
		return func() error { return ip.MatMulN(n) }, func() []float64 { return r.Out[:n*n] }, nil
	}
	return nil, nil, fmt.Errorf("unknown kernel %q", in.kernel)
}

// BenchmarkCall measures the floor of a call into wasm on Wasmtime: the
// empty export, called through the shim as every kernel is.
func BenchmarkCall(b *testing.B) {
	b.Run("impl=wasmtime-bare", func(b *testing.B) {
		call, done, err := Noop(SIMD)
		if err != nil {
			b.Fatal(err)
		}
		defer done()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInit measures what an instance pays once, at construction: a
// store, an instance of the compiled SIMD module and its regions of the
// default capacity, created and closed. The module is compiled once per
// process, before the loop.
func BenchmarkInit(b *testing.B) {
	b.Run("impl=wasmtime-simd-instantiate", func(b *testing.B) {
		if _, err := compile(SIMD); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			in, err := New(Config{Module: SIMD})
			if err != nil {
				b.Fatal(err)
			}
			in.Close()
		}
	})
}
