package zerocall_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/kerneltest"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/purego"
	"github.com/zerocall/zerocall/wasm"
)

// The fuzzed instances have small buffers, so that inputs of a few hundred
// values already stream through many blocks and overflow matmul.
const (
	fuzzCapacity = 64
	fuzzTaps     = 8
)

// fuzzTarget is one backend and path under differential fuzzing.
type fuzzTarget struct {
	name     string
	p        kerneltest.Path
	capacity int // 0: no buffers
}

var (
	fuzzOnce    sync.Once
	fuzzTargets []fuzzTarget
)

// targets returns every backend and path, each variant of the C kernels
// and each wasm module, made once for the whole fuzzing run and never
// closed: they live as long as the process.
func targets(t testing.TB) []fuzzTarget {
	fuzzOnce.Do(func() {
		add := func(name string, k zerocall.Kernels, err error, capacity int) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, p := range kerneltest.Paths(k) {
				fuzzTargets = append(fuzzTargets, fuzzTarget{name: name + "/" + p.Name, p: p, capacity: capacity})
			}
		}
		add("go-unrolled", purego.Unrolled{}, nil, 0)
		for _, v := range native.Variants() {
			s, err := native.NewStraight(v)
			add("straight/"+v.String(), s, err, 0)
			d, err := native.NewDirect(v)
			add("direct/"+v.String(), d, err, 0)
			cfg := native.Config{Capacity: fuzzCapacity, Taps: fuzzTaps, Variant: v}
			p, err := native.NewPinned(cfg)
			add("pinned/"+v.String(), p, err, fuzzCapacity)
			c, err := native.NewCOwned(cfg)
			add("cowned/"+v.String(), c, err, fuzzCapacity)
		}
		for _, m := range []wasm.Module{wasm.SIMD, wasm.Scalar} {
			w, err := wasm.New(wasm.Config{Capacity: fuzzCapacity, Taps: fuzzTaps, Module: m})
			add("wasm/"+m.String(), w, err, fuzzCapacity)
		}
	})
	return fuzzTargets
}

// fuzzFloats reads raw as float64 bit patterns: every NaN, infinity,
// subnormal and magnitude can turn up.
func fuzzFloats(raw []byte) []float64 {
	x := make([]float64, len(raw)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return x
}

// comparable reports whether a reduction over terms has one right answer
// within the documented bound: no partial sum of finite terms can
// overflow, whatever the order of addition. NaN propagates regardless.
// nil terms (see products) are not comparable.
func comparable(terms []float64) bool {
	if terms == nil {
		return false
	}
	var abs float64
	for _, v := range terms {
		if math.IsNaN(v) {
			return true
		}
		if !math.IsInf(v, 0) {
			abs += math.Abs(v)
		}
	}
	return abs <= math.MaxFloat64/2
}

// FuzzKernels runs every kernel through every backend and path on the
// same inputs and compares each result with the naive pure-Go reference
// under the documented error bound. raw gives the values, off a
// misalignment into them, and k and m the fir taps and matmul order.
func FuzzKernels(f *testing.F) {
	le := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(le(1, 2, 3, 4, 5, 6, 7, 8, 9), uint8(0), uint8(3), uint8(3))
	f.Add(le(math.NaN(), 1, math.Inf(1), 2, 3, -1, 4, 5e-324, 1e300, -1e300), uint8(1), uint8(2), uint8(2))
	f.Add(le(kerneltest.Data(200, 1)...), uint8(3), uint8(8), uint8(9))
	f.Add(le(kerneltest.Data(130, 2)...), uint8(2), uint8(9), uint8(8))
	f.Fuzz(func(t *testing.T, raw []byte, off, k, m uint8) {
		all := fuzzFloats(raw)
		x := all[min(int(off%4), len(all)):]
		n := len(x)
		y := make([]float64, n)
		for i := range y {
			y[i] = all[len(all)-1-i] // the same values, reversed and aligned differently
		}
		taps := y[:min(int(k%12)+1, n)]
		mm := int(m % 10)
		for _, tg := range targets(t) {
			fuzzOne(t, tg, x, y, taps, mm)
		}
	})
}

// fuzzOne runs the five kernels through one target. A kernel may refuse
// an input only with ErrCapacity, and only where the input does not fit
// the target's buffers; whatever it accepts must be right.
func fuzzOne(t *testing.T, tg fuzzTarget, x, y, taps []float64, m int) {
	n, k := len(x), len(taps)
	// refused reports whether err is the one refusal allowed for an input
	// of size elements (m·m for matmul): over capacity, where it streams
	// only on the copy path.
	refused := func(err error, size int, streams bool) bool {
		over := tg.capacity > 0 && size > tg.capacity && (tg.p.InPlace || !streams)
		return over && errors.Is(err, zerocall.ErrCapacity)
	}
	fail := func(what string, err error) {
		t.Helper()
		t.Fatalf("%s: %s (n=%d k=%d m=%d): %v", tg.name, what, n, k, m, err)
	}
	if got, err := tg.p.Sum(x); err != nil {
		if !refused(err, n, true) {
			fail("Sum", err)
		}
	} else if comparable(x) {
		if err := kerneltest.CheckSum(x, got); err != nil {
			fail("Sum", err)
		}
	}
	if got, err := tg.p.Dot(x, y); err != nil {
		if !refused(err, n, true) {
			fail("Dot", err)
		}
	} else if comparable(products(x, y)) {
		if err := kerneltest.CheckDot(x, y, got); err != nil {
			fail("Dot", err)
		}
	}
	out := make([]float64, n)
	if err := tg.p.Axpy(-0.5, x, y, out); err != nil {
		if !refused(err, n, true) {
			fail("Axpy", err)
		}
	} else if err := kerneltest.CheckAxpy(-0.5, x, y, out); err != nil {
		fail("Axpy", err)
	}
	if k > 0 && k <= n {
		fout := make([]float64, n-k+1)
		if _, err := tg.p.FIR(x, taps, fout); err != nil {
			if !refused(err, n, true) && !(tg.capacity > 0 && k > fuzzTaps && errors.Is(err, zerocall.ErrCapacity)) {
				fail("FIR", err)
			}
		} else {
			for i := range fout {
				if comparable(products(x[i:i+k], taps)) {
					if err := kerneltest.CheckFIR(x[i:i+k], taps, fout[i:i+1]); err != nil {
						fail(fmt.Sprintf("FIR output %d", i), err)
					}
				}
			}
		}
	}
	if m*m <= n {
		a, b := x[:m*m], y[:m*m]
		c := make([]float64, m*m)
		if err := tg.p.MatMul(a, b, c, m); err != nil {
			if !refused(err, m*m, false) {
				fail("MatMul", err)
			}
		} else if matmulComparable(a, b, m) {
			if err := kerneltest.CheckMatMul(a, b, c, m); err != nil {
				fail("MatMul", err)
			}
		}
	}
}

// products returns x[i]·y[i], the terms of their dot product, or nil
// when a product of two finite factors overflows: a fused multiply-add
// keeps such a product exact, so it need not behave as the infinity the
// reference sees. NaN in a factor propagates either way.
func products(x, y []float64) []float64 {
	t := make([]float64, len(x))
	for i := range x {
		t[i] = x[i] * y[i]
		if math.IsInf(t[i], 0) && !math.IsInf(x[i], 0) && !math.IsInf(y[i], 0) && !hasNaN(x) && !hasNaN(y) {
			return nil
		}
	}
	return t
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

// matmulComparable reports whether every element of a·b is comparable.
func matmulComparable(a, b []float64, m int) bool {
	col := make([]float64, m)
	for i := range m {
		for j := range m {
			for p := range m {
				col[p] = b[p*m+j]
			}
			if !comparable(products(a[i*m:i*m+m], col)) {
				return false
			}
		}
	}
	return true
}
